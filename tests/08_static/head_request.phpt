--TEST--
Static: HEAD gets the headers (Content-Length of the file) and no body
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
$server = salon_server(['document_root' => static_root()]);
$child = salon_client($server, STATIC_GET . <<<'PHP'
$r = get($port, '/index.html', 'HEAD');
echo $r['status'], ' ', $r['headers']['content-length'] ?? '-', ' body ', strlen($r['body']), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
200 36 body 0
