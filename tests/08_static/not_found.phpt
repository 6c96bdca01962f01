--TEST--
Static: a missing file is 404
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
$server = salon_server(['document_root' => static_root()]);
$child = salon_client($server, STATIC_GET . <<<'PHP'
echo get($port, '/nope.html')['status'], "\n";
echo get($port, '/sub/nope/')['status'], "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
404
404
