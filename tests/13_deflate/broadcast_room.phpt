--TEST--
permessage-deflate: a room broadcast is compressed once too: the same compressed bytes to the room's compressing members, plain to the others, nothing outside the room; a member's own next message still decodes
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['compression' => true]);
$news = str_repeat('{"type":"message","room":"salon","text":"le café est servi"}', 30);
$server->on('open', function (Salon\Connection $c) use ($server, $news) {
	if ($c->request()->path === '/room') {
		$c->join('salon');
	}
	$c->send(str_repeat('welcome, ', 20));
	if ($server->roomCount('salon') === 3 && $c->request()->path === '/room') {
		echo "server: room broadcast to ", $server->broadcast($news, false, 'salon'), "\n";
	}
});
$server->on('message', fn (Salon\Connection $c, string $d, bool $b) => $c->send($d, $b));
$clients = [
	'A' => ['/room', 'permessage-deflate'],
	'B' => ['/room', 'permessage-deflate; server_no_context_takeover'],
	'C' => ['/room', null],
	'D' => ['/lobby', 'permessage-deflate'],
];
$children = [];
foreach ($clients as $name => [$path, $offer]) {
	$children[] = salon_client($server, sprintf(<<<'PHP'
		require __DIR__ . '/pmd.php';
		[$name, $path, $offer, $news] = [%s, %s, %s, %s];
		$c = WsClient::connect($port, $path, $offer ? ['Sec-WebSocket-Extensions' => $offer] : []);
		$z = WsDeflate::fromResponse($c);
		ws_read_message_pmd($c, $z); // welcome
		if ($path === '/room') {
			[$op, $got, $rsv1, $wire, $raw] = ws_read_message_pmd($c, $z);
			echo "$name: room message ", $got === $news ? 'ok' : 'DIFFERENT', ', ', $rsv1 ? 'compressed' : 'plain', ", wire bytes md5:", md5($raw), "\n";
		}
		$text = str_repeat('welcome, ', 20);
		$offer ? ws_send_compressed($c, $z, $text) : $c->send($text);
		[$op, $got, $rsv1] = ws_read_message_pmd($c, $z);
		echo "$name: echo ", $got === $text ? 'ok' : 'DIFFERENT', ', ', $rsv1 ? 'compressed' : 'plain', "\n";
		$c->close();
		PHP, var_export($name, true), var_export($path, true), var_export($offer, true), var_export($news, true)));
}
$out = salon_run($server, $children);
$ids = [];
while (($p = strpos($out, 'md5:')) !== false) {
	$h = substr($out, $p + 4, 32);
	$out = substr_replace($out, 'encoding #' . ($ids[$h] ??= count($ids) + 1), $p, 36);
}
echo $out;
?>
--EXPECT--
server: room broadcast to 3
A: room message ok, compressed, wire bytes encoding #1
A: echo ok, compressed
B: room message ok, compressed, wire bytes encoding #1
B: echo ok, compressed
C: room message ok, plain, wire bytes encoding #2
C: echo ok, plain
D: echo ok, compressed
