--TEST--
UTF-8: text with 2-, 3- and 4-byte code points, noncharacters and U+10FFFF is accepted and echoed
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server();
$server->on('message', function ($c, $d, $b) { echo "server: ", bin2hex($d), "\n"; $c->send($d, $b); });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
foreach (["\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", "\xf0\x9f\x98\x80", "\xef\xbf\xbe\xef\xbf\xbf", "\xf4\x8f\xbf\xbf", "\x00\x7f\xc2\x80\xed\x9f\xbf\xee\x80\x80"] as $t) {
	$c->send($t);
	[$op, $d] = $c->readMessage();
	echo $op, ' ', $d === $t ? 'same' : 'different', "\n";
}
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server: cebae1bdb9cf83cebcceb5
server: f09f9880
server: efbfbeefbfbf
server: f48fbfbf
server: 007fc280ed9fbfee8080
server: close 1000
1 same
1 same
1 same
1 same
1 same
close 1000 closed
