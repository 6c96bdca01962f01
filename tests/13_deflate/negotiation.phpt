--TEST--
permessage-deflate: the answer to each offer (RFC 7692 §7): several offers, values with and without quotes, duplicates and unknown parameters decline an offer, server_max_window_bits=8 answered 8
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['compression' => true]);
$child = salon_client($server, <<<'PHP'
	$offers = [
		'permessage-deflate',
		'permessage-deflate; client_max_window_bits',
		'permessage-deflate; client_max_window_bits=10',
		'permessage-deflate; server_max_window_bits=10',
		'permessage-deflate; server_max_window_bits="12"',
		'permessage-deflate; server_max_window_bits=8',
		'permessage-deflate; server_max_window_bits',
		'permessage-deflate; server_max_window_bits=7',
		'permessage-deflate; server_max_window_bits=08',
		'permessage-deflate; server_no_context_takeover; client_no_context_takeover',
		'permessage-deflate; server_no_context_takeover=true',
		'permessage-deflate; client_no_context_takeover; client_no_context_takeover',
		'permessage-deflate; foo',
		'permessage-deflate; foo, permessage-deflate; server_max_window_bits=11',
		'x-webkit-deflate-frame, PerMessage-Deflate ; Client_Max_Window_Bits = 9',
		'x-webkit-deflate-frame',
		'foo; bar="a, permessage-deflate"',
		'permessage-deflate; server_max_window_bits="12',
	];
	foreach ($offers as $o) {
		$c = WsClient::connect($port, '/', ['Sec-WebSocket-Extensions' => $o]);
		echo $o, "\n  -> ", $c->response['headers']['sec-websocket-extensions'] ?? '(none)', "\n";
		$c->close();
	}
	// Two header lines form one list.
	$req = ws_request($port) ;
	$req = substr($req, 0, -2) . "Sec-WebSocket-Extensions: permessage-deflate; bogus\r\nSec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n\r\n";
	$r = http_raw($port, $req, null, 1.0, 0, true);
	echo "two header lines -> ", $r['status'], ' ', $r['headers']['sec-websocket-extensions'] ?? '(none)', "\n";
	PHP);
echo salon_run($server, $child);
?>
--EXPECT--
permessage-deflate
  -> permessage-deflate
permessage-deflate; client_max_window_bits
  -> permessage-deflate
permessage-deflate; client_max_window_bits=10
  -> permessage-deflate; client_max_window_bits=10
permessage-deflate; server_max_window_bits=10
  -> permessage-deflate; server_max_window_bits=10
permessage-deflate; server_max_window_bits="12"
  -> permessage-deflate; server_max_window_bits=12
permessage-deflate; server_max_window_bits=8
  -> permessage-deflate; server_max_window_bits=8
permessage-deflate; server_max_window_bits
  -> (none)
permessage-deflate; server_max_window_bits=7
  -> (none)
permessage-deflate; server_max_window_bits=08
  -> (none)
permessage-deflate; server_no_context_takeover; client_no_context_takeover
  -> permessage-deflate; server_no_context_takeover; client_no_context_takeover
permessage-deflate; server_no_context_takeover=true
  -> (none)
permessage-deflate; client_no_context_takeover; client_no_context_takeover
  -> (none)
permessage-deflate; foo
  -> (none)
permessage-deflate; foo, permessage-deflate; server_max_window_bits=11
  -> permessage-deflate; server_max_window_bits=11
x-webkit-deflate-frame, PerMessage-Deflate ; Client_Max_Window_Bits = 9
  -> permessage-deflate; client_max_window_bits=9
x-webkit-deflate-frame
  -> (none)
foo; bar="a, permessage-deflate"
  -> (none)
permessage-deflate; server_max_window_bits="12
  -> (none)
two header lines -> 101 permessage-deflate; client_no_context_takeover
