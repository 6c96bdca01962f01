--TEST--
permessage-deflate: broadcast() compresses once per window size and sends the same bytes to every recipient that allows them (takeover or not), plain to one without compression; a takeover connection's next own message still decodes
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['compression' => true]);
$welcome = str_repeat('{"type":"welcome","text":"bienvenue au salon, café ou thé?"}', 8);
// 1,500 bytes of words, twice: the repeat is 1,500 bytes back, beyond a
// 10-bit window (C's), so C's encoding must differ from the 15-bit one.
mt_srand(7692);
$words = ['salon', 'news', 'chat', 'room', 'lobby', 'hello', 'world', 'café', 'thé', 'deflate'];
$half = '';
while (strlen($half) < 1500) {
	$half .= $words[mt_rand(0, 9)] . ' ' . mt_rand(0, 99999) . ' ';
}
$news = $half . $half;
$server->on('open', function (Salon\Connection $c) use ($server, $welcome, $news) {
	$c->send($welcome);
	if (count($server) === 4) {
		echo "server: broadcast to ", $server->broadcast($news), "\n";
	}
});
$server->on('message', fn (Salon\Connection $c, string $d, bool $b) => $c->send($d, $b));
$clients = [
	'A' => 'permessage-deflate',
	'B' => 'permessage-deflate; server_no_context_takeover',
	'C' => 'permessage-deflate; server_max_window_bits=10',
	'D' => null,
];
$children = [];
foreach ($clients as $name => $offer) {
	$children[] = salon_client($server, sprintf(<<<'PHP'
		require __DIR__ . '/pmd.php';
		[$name, $offer, $welcome, $news] = [%s, %s, %s, %s];
		$c = WsClient::connect($port, '/', $offer ? ['Sec-WebSocket-Extensions' => $offer] : []);
		$z = WsDeflate::fromResponse($c);
		[$op, $got, $rsv1] = ws_read_message_pmd($c, $z);
		echo "$name: welcome ", $got === $welcome ? 'ok' : 'DIFFERENT', ', ', $rsv1 ? 'compressed' : 'plain', "\n";
		[$op, $got, $rsv1, $wire, $raw] = ws_read_message_pmd($c, $z);
		echo "$name: broadcast ", $got === $news ? 'ok' : 'DIFFERENT', ', ', $rsv1 ? 'compressed' : 'plain', ", wire bytes md5:", md5($raw), "\n";
		// The server's own compressor for this connection saw the welcome
		// but not the broadcast; an echo of the welcome must not point
		// into a window the client has no longer the same.
		$offer ? ws_send_compressed($c, $z, $welcome) : $c->send($welcome);
		[$op, $got, $rsv1] = ws_read_message_pmd($c, $z);
		echo "$name: echo ", $got === $welcome ? 'ok' : 'DIFFERENT', ', ', $rsv1 ? 'compressed' : 'plain', "\n";
		$c->close();
		PHP, var_export($name, true), var_export($offer, true), var_export($welcome, true), var_export($news, true)));
}
$out = salon_run($server, $children);
// Name the distinct wire encodings in order of appearance (no PCRE here:
// its JIT reads past strings, which valgrind reports).
$ids = [];
while (($p = strpos($out, 'md5:')) !== false) {
	$h = substr($out, $p + 4, 32);
	$out = substr_replace($out, 'encoding #' . ($ids[$h] ??= count($ids) + 1), $p, 36);
}
echo $out;
?>
--EXPECT--
server: broadcast to 4
A: welcome ok, compressed
A: broadcast ok, compressed, wire bytes encoding #1
A: echo ok, compressed
B: welcome ok, compressed
B: broadcast ok, compressed, wire bytes encoding #1
B: echo ok, compressed
C: welcome ok, compressed
C: broadcast ok, compressed, wire bytes encoding #2
C: echo ok, compressed
D: welcome ok, plain
D: broadcast ok, plain, wire bytes encoding #3
D: echo ok, plain
