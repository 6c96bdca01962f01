--TEST--
Handshake: a plain GET without upgrade and without document_root is answered 426
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$child = salon_client($server, <<<'PHP'
$r = http_raw($port, "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n");
echo $r['status'], "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
426
