--TEST--
Limits: past max_connections_per_ip an upgrade request from that address gets 503
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['max_connections_per_ip' => 1]);
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$r = http_raw($port, ws_request($port));
echo $r['status'], ' ', $r['closed'] ? 'closed' : 'open', "\n";
$a->send('first still works');
echo WsClient::describe($a->readFrame()), "\n";
echo $a->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000
503 closed
text "first still works"
close 1000 closed
