--TEST--
Limits: past max_connections an upgrade request gets 503 and is closed; existing connections keep working
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['max_connections' => 2]);
$child = salon_client($server, <<<'PHP'
$a = WsClient::connect($port);
$b = WsClient::connect($port);
$r = http_raw($port, ws_request($port));
echo $r['status'], ' ', $r['closed'] ? 'closed' : 'open', "\n";
foreach ([$a, $b] as $i => $c) { $c->send("still $i"); echo WsClient::describe($c->readFrame()), "\n"; }
echo $a->close(), "\n";
$c = WsClient::connect($port);   // a slot is free again
echo "third connected\n";
echo $c->close(), "\n", $b->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: close 1000
server: close 1000
server: close 1000
503 closed
text "still 0"
text "still 1"
close 1000 closed
third connected
close 1000 closed
close 1000 closed
