--TEST--
Static: percent-encoded paths are decoded (a file name with a space)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
$server = salon_server(['document_root' => static_root()]);
$child = salon_client($server, STATIC_GET . <<<'PHP'
$r = get($port, '/hello%20world.txt');
echo $r['status'], ' ', $r['body'];
$r = get($port, '/index.html?v=1');
echo $r['status'], "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
200 spaces
200
