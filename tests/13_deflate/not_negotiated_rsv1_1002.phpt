--TEST--
permessage-deflate: off by default (the offer gets no answer) and then RSV1 closes with 1002; with compression on but not offered, likewise
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
foreach ([[], ['compression' => true]] as $opts) {
	$server = salon_echo_server($opts);
	$child = salon_client($server, sprintf(<<<'PHP'
		require __DIR__ . '/pmd.php';
		$offer = %s;
		$c = WsClient::connect($port, '/', $offer ? ['Sec-WebSocket-Extensions' => 'permessage-deflate'] : []);
		echo "offered: ", $offer ? 'yes' : 'no', ", answer: ", $c->response['headers']['sec-websocket-extensions'] ?? '(none)', "\n";
		$z = new WsDeflate([]);
		$c->writeRaw(WsClient::frame(OP_TEXT, $z->compress(str_repeat('hello ', 20)), true, 4));
		echo $c->expectFail(), "\n";
		PHP, $opts ? 'false' : 'true'));
	echo salon_run($server, $child);
}
?>
--EXPECT--
server: close 1002
offered: yes, answer: (none)
close 1002 closed
server: close 1002
offered: no, answer: (none)
close 1002 closed
