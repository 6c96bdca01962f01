--TEST--
Hardening: max_connections_per_ip counts per address: a third upgrade from 127.0.0.1 gets 503 while 127.0.0.2 is still admitted, and the existing connections keep working
--EXTENSIONS--
salon
--SKIPIF--
<?php
$s = @stream_socket_client('tcp://127.0.0.1:9', $no, $str, 1, STREAM_CLIENT_CONNECT, stream_context_create(['socket' => ['bindto' => '127.0.0.2:0']]));
if ($s === false && $no === 99) die('skip cannot bind 127.0.0.2');
?>
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server(['max_connections_per_ip' => 2], false);
$server->on('open', function (Salon\Connection $c) { echo "server: open from ", explode(':', $c->remoteAddress)[0], "\n"; });
$child = salon_client($server, <<<'PHP'
function upgrade_from(string $ip, int $port): string
{
	$ctx = stream_context_create(['socket' => ['bindto' => "$ip:0"]]);
	$s = stream_socket_client("tcp://127.0.0.1:$port", $no, $str, 5, STREAM_CLIENT_CONNECT, $ctx);
	fwrite($s, ws_request($port));
	stream_set_timeout($s, 5);
	$line = (string) fgets($s);
	return "$ip: " . trim($line);
}
$a = WsClient::connect($port);
$b = WsClient::connect($port);
echo upgrade_from('127.0.0.1', $port), "\n";
echo upgrade_from('127.0.0.2', $port), "\n";
foreach ([$a, $b] as $k => $c) { $c->send("still $k"); echo WsClient::describe($c->readFrame()), "\n"; }
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: open from 127.0.0.1
server: open from 127.0.0.1
server: open from 127.0.0.2
127.0.0.1: HTTP/1.1 503 Service Unavailable
127.0.0.2: HTTP/1.1 101 Switching Protocols
text "still 0"
text "still 1"
