--TEST--
Proxies: forwarded_header names the one header a trusted proxy sets ("x-forwarded-for", "forwarded", "x-real-ip", any case); a client-sent X-Forwarded-For does not spoof remoteAddress (nor the per-IP count) behind a proxy that sets X-Real-IP
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
function serve(array $options, string $clientCode): string
{
	$server = salon_server($options + ['trusted_proxies' => ['127.0.0.1']]);
	$server->on('open', function (Salon\Connection $c) {
		echo "server: remoteAddress ", preg_replace('/^127\.0\.0\.1:\d+$/', '127.0.0.1:PORT', $c->remoteAddress), "\n";
	});
	return salon_run($server, salon_client($server, $clientCode));
}
$code = <<<'PHP'
foreach ([
	// the proxy sets X-Real-IP, the client sent the others
	['X-Forwarded-For' => '6.6.6.6', 'Forwarded' => 'for=7.7.7.7', 'X-Real-IP' => '192.0.2.1'],
	['Forwarded' => 'for="[2001:db8::1]:4711";proto=https', 'X-Forwarded-For' => '6.6.6.6'],
	['X-Forwarded-For' => '203.0.113.7, 127.0.0.1'],
] as $headers) {
	$c = WsClient::connect($port, '/', $headers);
	$c->close();
}
PHP;
foreach (['x-real-ip', 'Forwarded', 'x-forwarded-for'] as $h) {
	echo "== forwarded_header $h\n", serve(['forwarded_header' => $h], $code);
}
// The per-IP limit counts the address the trusted header names.
echo "== x-real-ip, max_connections_per_ip 2, every client claims X-Forwarded-For 6.6.6.6\n";
echo serve(['forwarded_header' => 'x-real-ip', 'max_connections_per_ip' => 2], <<<'PHP'
$held = [];
foreach (['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.1', '192.0.2.1'] as $ip) {
	try {
		$held[] = WsClient::connect($port, '/', ['X-Forwarded-For' => '6.6.6.6', 'X-Real-IP' => $ip]);
		echo "client $ip: open\n";
	} catch (Throwable $e) {
		echo "client $ip: refused\n";
	}
}
foreach ($held as $c) $c->close();
PHP);
try {
	new Salon\Server('127.0.0.1', 0, ['forwarded_header' => 'x-client-ip']);
} catch (ValueError $e) {
	echo $e->getMessage(), "\n";
}
?>
--EXPECT--
== forwarded_header x-real-ip
server: remoteAddress 192.0.2.1:0
server: remoteAddress 127.0.0.1:PORT
server: remoteAddress 127.0.0.1:PORT
== forwarded_header Forwarded
server: remoteAddress 7.7.7.7:0
server: remoteAddress [2001:db8::1]:4711
server: remoteAddress 127.0.0.1:PORT
== forwarded_header x-forwarded-for
server: remoteAddress 6.6.6.6:0
server: remoteAddress 6.6.6.6:0
server: remoteAddress 203.0.113.7:0
== x-real-ip, max_connections_per_ip 2, every client claims X-Forwarded-For 6.6.6.6
server: remoteAddress 192.0.2.1:0
server: remoteAddress 192.0.2.2:0
server: remoteAddress 192.0.2.3:0
server: remoteAddress 192.0.2.1:0
client 192.0.2.1: open
client 192.0.2.2: open
client 192.0.2.3: open
client 192.0.2.1: open
client 192.0.2.1: refused
Salon\Server::__construct(): Argument #3 ($options) option "forwarded_header" must be "x-forwarded-for", "forwarded" or "x-real-ip"
