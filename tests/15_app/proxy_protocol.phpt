--TEST--
Proxies: proxy_protocol takes a PROXY v1 or v2 header before the request (whole or in pieces) as the client's address; garbage closes the connection unanswered
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['proxy_protocol' => true, 'trusted_proxies' => ['10.0.0.0/8']]);
$server->on('open', function (Salon\Connection $c) {
	echo "server: open, remoteAddress ", preg_replace('/^127\.0\.0\.1:\d+$/', '127.0.0.1:PORT', $c->remoteAddress), "\n";
	$c->close();
});
$child = salon_client($server, <<<'PHP'
function v2(int $verCmd, int $famProto, string $block): string
{
	return "\r\n\r\n\0\r\nQUIT\n" . chr($verCmd) . chr($famProto) . pack('n', strlen($block)) . $block;
}
/* Sends $proxy . upgrade request, in one write or one byte at a time;
 * returns the status line, or what happened. */
function attempt(int $port, string $proxy, ?int $chop = null, array $headers = []): string
{
	$s = salon_tcp_connect($port);
	write_all($s, $proxy . ws_request($port, '/', $headers), $chop);
	stream_set_timeout($s, (int) salon_timeout(5));
	$line = fgets($s);
	$meta = stream_get_meta_data($s);
	fclose($s);
	if ($meta['timed_out']) {
		return 'no answer (timeout)';
	}
	return $line === false ? 'closed without an answer' : trim($line);
}
$cases = [
	'v1 TCP4' => "PROXY TCP4 203.0.113.7 192.0.2.1 56324 443\r\n",
	'v1 TCP6' => "PROXY TCP6 2001:db8::7 2001:db8::1 4660 443\r\n",
	'v1 UNKNOWN' => "PROXY UNKNOWN\r\n",
	'v2 TCP4 with a TLV' => v2(0x21, 0x11, inet_pton('198.51.100.20') . inet_pton('192.0.2.1') . pack('nn', 40000, 443) . "\x01\x00\x02h2"),
	'v2 TCP6' => v2(0x21, 0x21, inet_pton('2001:db8::8') . inet_pton('2001:db8::1') . pack('nn', 1234, 443)),
	'v2 LOCAL' => v2(0x20, 0x00, ''),
];
foreach ($cases as $name => $hdr) {
	echo "$name: ", attempt($port, $hdr), "\n";
	echo "$name, byte by byte: ", attempt($port, $hdr, 1), "\n";
}
echo "v1 from a trusted proxy, with X-Forwarded-For: ",
	attempt($port, "PROXY TCP4 10.0.0.5 192.0.2.1 5000 443\r\n", null, ['X-Forwarded-For' => '203.0.113.99']), "\n";
$garbage = [
	'no PROXY header' => '',
	'v1 with a bad address' => "PROXY TCP4 203.0.113.777 192.0.2.1 1 2\r\n",
	'v1 port out of range' => "PROXY TCP4 203.0.113.7 192.0.2.1 1 65536\r\n",
	'v1 lower case' => "proxy TCP4 203.0.113.7 192.0.2.1 1 2\r\n",
	'v1 line over 107 bytes' => 'PROXY UNKNOWN ' . str_repeat('x', 100) . "\r\n",
	'v2 bad version' => "\r\n\r\n\0\r\nQUIT\n\x11\x11\x00\x0c" . str_repeat("\0", 12),
	'v2 truncated TLV' => v2(0x21, 0x11, str_repeat("\1", 12) . "\x01\x00\x05ab"),
	'v2 block over the limit' => "\r\n\r\n\0\r\nQUIT\n\x21\x11\xff\xff",
	'binary noise' => "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
];
foreach ($garbage as $name => $hdr) {
	echo "$name: ", attempt($port, $hdr), "\n";
}
PHP);
echo salon_run($server, $child, 30);
echo "handshakes_failed: ", $server->stats()['handshakes_failed'], "\n";
?>
--EXPECT--
server: open, remoteAddress 203.0.113.7:56324
server: open, remoteAddress 203.0.113.7:56324
server: open, remoteAddress [2001:db8::7]:4660
server: open, remoteAddress [2001:db8::7]:4660
server: open, remoteAddress 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
server: open, remoteAddress 198.51.100.20:40000
server: open, remoteAddress 198.51.100.20:40000
server: open, remoteAddress [2001:db8::8]:1234
server: open, remoteAddress [2001:db8::8]:1234
server: open, remoteAddress 127.0.0.1:PORT
server: open, remoteAddress 127.0.0.1:PORT
server: open, remoteAddress 203.0.113.99:0
v1 TCP4: HTTP/1.1 101 Switching Protocols
v1 TCP4, byte by byte: HTTP/1.1 101 Switching Protocols
v1 TCP6: HTTP/1.1 101 Switching Protocols
v1 TCP6, byte by byte: HTTP/1.1 101 Switching Protocols
v1 UNKNOWN: HTTP/1.1 101 Switching Protocols
v1 UNKNOWN, byte by byte: HTTP/1.1 101 Switching Protocols
v2 TCP4 with a TLV: HTTP/1.1 101 Switching Protocols
v2 TCP4 with a TLV, byte by byte: HTTP/1.1 101 Switching Protocols
v2 TCP6: HTTP/1.1 101 Switching Protocols
v2 TCP6, byte by byte: HTTP/1.1 101 Switching Protocols
v2 LOCAL: HTTP/1.1 101 Switching Protocols
v2 LOCAL, byte by byte: HTTP/1.1 101 Switching Protocols
v1 from a trusted proxy, with X-Forwarded-For: HTTP/1.1 101 Switching Protocols
no PROXY header: closed without an answer
v1 with a bad address: closed without an answer
v1 port out of range: closed without an answer
v1 lower case: closed without an answer
v1 line over 107 bytes: closed without an answer
v2 bad version: closed without an answer
v2 truncated TLV: closed without an answer
v2 block over the limit: closed without an answer
binary noise: closed without an answer
handshakes_failed: 9
