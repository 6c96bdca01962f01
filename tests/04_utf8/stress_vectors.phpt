--TEST--
UTF-8: Markus Kuhn's stress-test vectors: overlongs, surrogates, > U+10FFFF, lonely and impossible bytes get 1007; boundary code points are echoed
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server([], false);
$child = salon_client($server, <<<'PHP'
$invalid = [
	"\xf8\x88\x80\x80\x80", "\xfc\x84\x80\x80\x80\x80", "\xf7\xbf\xbf\xbf", "\xf4\x90\x80\x80", // beyond U+10FFFF / 5-6 bytes
	"\x80", "\xbf", "\x80\xbf\x80", "\xc0 \xc1 ", "\xe0 ", "\xf5", "\xfe", "\xff", "\xfe\xfe\xff\xff", // stray bytes
	"\xc0\xaf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf", "\xc1\xbf", "\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf", "\xc0\x80", "\xe0\x80\x80", // overlong
	"\xed\xa0\x80", "\xed\xad\xbf", "\xed\xaf\xbf", "\xed\xb0\x80", "\xed\xbf\xbf", "\xed\xa0\x80\xed\xb0\x80", // surrogates
	"\xc2", "\xe0\xa0", "\xf0\x90\x80", "\xdf", "\xef\xbf", // truncated
];
$valid = ["\x00", "\xc2\x80", "\xe0\xa0\x80", "\xf0\x90\x80\x80", "\x7f", "\xdf\xbf", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf", "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbd"];
$bad = 0;
foreach ($invalid as $v) {
	foreach (['frame', 'bytes'] as $how) {
		$c = WsClient::connect($port);
		if ($how === 'frame') { $c->send($v); }
		else { for ($i = 0, $n = strlen($v); $i < $n; $i++) $c->sendFrame($i ? OP_CONT : OP_TEXT, $v[$i], $i === $n - 1); }
		$r = $c->expectFail();
		if ($r !== 'close 1007 closed') { $bad++; echo bin2hex($v), " ($how): $r\n"; }
	}
}
foreach ($valid as $v) {
	$c = WsClient::connect($port);
	$c->send($v);
	[$op, $d] = $c->readMessage();
	if ($d !== $v) { $bad++; echo bin2hex($v), ": not echoed\n"; }
	$r = $c->close();
	if ($r !== 'close 1000 closed') { $bad++; echo bin2hex($v), ": $r\n"; }
}
echo count($invalid), " invalid and ", count($valid), " valid vectors, $bad wrong\n";
PHP);
echo salon_run($server, $child, 60);
?>
--EXPECT--
32 invalid and 11 valid vectors, 0 wrong
