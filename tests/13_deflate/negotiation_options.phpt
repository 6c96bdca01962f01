--TEST--
permessage-deflate: the server's options shape the answer (server_no_context_takeover, client_no_context_takeover, window bits; client_max_window_bits below 15 declines offers that cannot be limited)
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$servers = [
	'server_no_context_takeover' => ['server_no_context_takeover' => true],
	'client_no_context_takeover' => ['client_no_context_takeover' => true],
	'server_max_window_bits 10' => ['server_max_window_bits' => 10],
	'client_max_window_bits 10' => ['client_max_window_bits' => 10],
];
$offers = [
	'permessage-deflate',
	'permessage-deflate; client_max_window_bits',
	'permessage-deflate; client_max_window_bits=9; server_max_window_bits=12',
];
foreach ($servers as $name => $opts) {
	$server = salon_server(['compression' => $opts]);
	$child = salon_client($server, sprintf(<<<'PHP'
		echo %s, ":\n";
		foreach (%s as $o) {
			$c = WsClient::connect($port, '/', ['Sec-WebSocket-Extensions' => $o]);
			echo "  ", $o, "\n    -> ", $c->response['headers']['sec-websocket-extensions'] ?? '(none)', "\n";
			$c->close();
		}
		PHP, var_export($name, true), var_export($offers, true)));
	echo salon_run($server, $child);
}
$server = salon_server(['compression' => false]);
$child = salon_client($server, <<<'PHP'
	$c = WsClient::connect($port, '/', ['Sec-WebSocket-Extensions' => 'permessage-deflate']);
	echo "compression false:\n    -> ", $c->response['headers']['sec-websocket-extensions'] ?? '(none)', "\n";
	PHP);
echo salon_run($server, $child);
?>
--EXPECT--
server_no_context_takeover:
  permessage-deflate
    -> permessage-deflate; server_no_context_takeover
  permessage-deflate; client_max_window_bits
    -> permessage-deflate; server_no_context_takeover
  permessage-deflate; client_max_window_bits=9; server_max_window_bits=12
    -> permessage-deflate; server_no_context_takeover; server_max_window_bits=12; client_max_window_bits=9
client_no_context_takeover:
  permessage-deflate
    -> permessage-deflate; client_no_context_takeover
  permessage-deflate; client_max_window_bits
    -> permessage-deflate; client_no_context_takeover
  permessage-deflate; client_max_window_bits=9; server_max_window_bits=12
    -> permessage-deflate; client_no_context_takeover; server_max_window_bits=12; client_max_window_bits=9
server_max_window_bits 10:
  permessage-deflate
    -> permessage-deflate; server_max_window_bits=10
  permessage-deflate; client_max_window_bits
    -> permessage-deflate; server_max_window_bits=10
  permessage-deflate; client_max_window_bits=9; server_max_window_bits=12
    -> permessage-deflate; server_max_window_bits=10; client_max_window_bits=9
client_max_window_bits 10:
  permessage-deflate
    -> (none)
  permessage-deflate; client_max_window_bits
    -> permessage-deflate; client_max_window_bits=10
  permessage-deflate; client_max_window_bits=9; server_max_window_bits=12
    -> permessage-deflate; server_max_window_bits=12; client_max_window_bits=9
compression false:
    -> (none)
