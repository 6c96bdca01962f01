--TEST--
TLS: exit() in a handler (single process): every wss client still reads the close frame 1001 "server shutting down", not a bare EOF
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/tls.inc';
salon_skip_unless_openssl_cli();
if (salon_extension_path() === null) die('skip modules/salon.so not found for the server process');
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/tls.inc';
$t = salon_tls_material();
$script = tempnam(sys_get_temp_dir(), 'salon-exit-tls');
file_put_contents($script, '<?php
$s = new Salon\Server("127.0.0.1", 0, ["tls" => ["cert" => ' . var_export($t['a.pem'], true) . ', "key" => ' . var_export($t['a.key'], true) . ']]);
$s->on("start", function (Salon\Server $s) { echo "port ", $s->port(), "\n"; });
$s->on("message", function (Salon\Connection $c, string $data) {
	if ($data === "bye") { echo "handler: exit\n"; exit(0); }
	$c->send($data);
});
$s->on("close", function (Salon\Connection $c, int $code) { echo "close handler ran ($code)\n"; });
$s->run();
');
$server = new SalonChild([PHP_BINARY, '-n', '-d', 'extension=' . salon_extension_path(), $script], null, 'server');
$deadline = microtime(true) + salon_timeout(10);
while (!str_contains($server->output, "port ") && $server->poll() && microtime(true) < $deadline) usleep(10000);
$port = (int) substr($server->output, strpos($server->output, "port ") + 5);

function wss(int $port, string $ca)
{
	$ctx = stream_context_create(['ssl' => ['cafile' => $ca, 'peer_name' => 'localhost']]);
	$s = stream_socket_client("tls://127.0.0.1:$port", $errno, $errstr, salon_timeout(10), STREAM_CLIENT_CONNECT, $ctx);
	if (!$s) throw new RuntimeException("connect: $errstr");
	fwrite($s, "GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
		. "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
	$head = '';
	while (!str_contains($head, "\r\n\r\n") && !feof($s)) $head .= fread($s, 1);
	if (!str_starts_with($head, 'HTTP/1.1 101')) throw new RuntimeException('handshake: ' . strtok($head, "\r\n"));
	return $s;
}
/* Every byte until EOF: the frames the server sent. */
function until_eof($s): string
{
	stream_set_timeout($s, (int) salon_timeout(10));
	$in = '';
	while (!feof($s)) {
		$r = fread($s, 8192);
		if ($r === false || ($r === '' && stream_get_meta_data($s)['timed_out'])) return $in . '(timeout)';
		$in .= $r;
	}
	return $in;
}
function describe(string $in): string
{
	if (strlen($in) >= 4 && ord($in[0]) === 0x88) {
		$n = ord($in[1]) & 0x7f;
		return json_encode([unpack('n', substr($in, 2, 2))[1], substr($in, 4, $n - 2)]);
	}
	return 'no close frame: ' . json_encode($in);
}
$a = wss($port, $t['ca.pem']);
$b = wss($port, $t['ca.pem']);
fwrite($b, WsClient::frame(OP_TEXT, 'bye'));
echo 'sender gets: ', describe(until_eof($b)), "\n";
echo 'other client gets: ', describe(until_eof($a)), "\n";
echo $server->finish(10);
unlink($script);
?>
--EXPECTF--
sender gets: [1001,"server shutting down"]
other client gets: [1001,"server shutting down"]
port %d
handler: exit
