--TEST--
Proxies: behind a trusted proxy, remoteAddress comes from X-Forwarded-For (the default forwarded_header) only: Forwarded and X-Real-IP are ignored; from anyone else every header is ignored
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
function serve(array $options, string $clientCode): string
{
	$server = salon_server($options);
	$server->on('handshake', function (Salon\Request $r) { echo "server: handshake from ", preg_replace('/^127\.0\.0\.1:\d+$/', '127.0.0.1:PORT', $r->remoteAddress), "\n"; });
	$server->on('open', function (Salon\Connection $c) {
		echo "server: open, remoteAddress ", preg_replace('/^127\.0\.0\.1:\d+$/', '127.0.0.1:PORT', $c->remoteAddress), "\n";
		$c->close();
	});
	return salon_run($server, salon_client($server, $clientCode));
}
$code = <<<'PHP'
foreach ([
	['X-Forwarded-For' => '203.0.113.7'],
	['X-Forwarded-For' => '198.51.100.1, 203.0.113.7, 10.1.2.3, 127.0.0.1'],
	['X-Forwarded-For' => '10.9.9.9, 10.1.2.3'],
	['Forwarded' => 'for="[2001:db8::1]:4711";proto=https;by=10.0.0.1'],
	['X-Real-IP' => '192.0.2.33'],
	['X-Forwarded-For' => 'not-an-ip', 'X-Real-IP' => '192.0.2.34'],
	['X-Forwarded-For' => 'unknown'],
	[],
] as $headers) {
	$c = WsClient::connect($port, '/', $headers);
	$c->expectFail();
}
PHP;
echo "== trusted: 127.0.0.1 and 10.0.0.0/8\n";
echo serve(['trusted_proxies' => ['127.0.0.1', '10.0.0.0/8']], $code);
echo "== trusted: 10.0.0.0/8 only (the peer is not trusted)\n";
echo serve(['trusted_proxies' => ['10.0.0.0/8']], $code);
foreach ([['10.0.0.1/8'], ['localhost'], ['1.2.3.4:80'], ['::1/200']] as $bad) {
	try {
		new Salon\Server('127.0.0.1', 0, ['trusted_proxies' => $bad]);
	} catch (ValueError $e) {
		echo $e->getMessage(), "\n";
	}
}
?>
--EXPECT--
== trusted: 127.0.0.1 and 10.0.0.0/8
server: handshake from 203.0.113.7:0
server: open, remoteAddress 203.0.113.7:0
server: handshake from 203.0.113.7:0
server: open, remoteAddress 203.0.113.7:0
server: handshake from 10.9.9.9:0
server: open, remoteAddress 10.9.9.9:0
server: handshake from 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
server: handshake from 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
server: handshake from 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
server: handshake from 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
server: handshake from 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
== trusted: 10.0.0.0/8 only (the peer is not trusted)
server: handshake from 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
server: handshake from 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
server: handshake from 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
server: handshake from 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
server: handshake from 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
server: handshake from 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
server: handshake from 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
server: handshake from 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
Salon\Server::__construct(): Argument #3 ($options) option "trusted_proxies" item 0 must be an IP address or a CIDR block such as "10.0.0.0/8"
Salon\Server::__construct(): Argument #3 ($options) option "trusted_proxies" item 0 must be an IP address or a CIDR block such as "10.0.0.0/8"
Salon\Server::__construct(): Argument #3 ($options) option "trusted_proxies" item 0 must be an IP address or a CIDR block such as "10.0.0.0/8"
Salon\Server::__construct(): Argument #3 ($options) option "trusted_proxies" item 0 must be an IP address or a CIDR block such as "10.0.0.0/8"
