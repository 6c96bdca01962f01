--TEST--
Static: with a document_root, upgrade requests still become WebSocket connections
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/static.inc';
$server = salon_echo_server(['document_root' => static_root()]);
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port, '/index.html');
$c->send('ws over the static path');
echo WsClient::describe($c->readFrame()), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000
text "ws over the static path"
close 1000 closed
