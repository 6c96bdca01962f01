--TEST--
Hardening: idle_timeout = 0 turns the heartbeat off: a peer frozen with SIGSTOP for 3 s (where idle_timeout = 2 closes it, see heartbeat_stopped_peer) gets no ping, is not closed, and is served when it resumes
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
$server = salon_echo_server(['idle_timeout' => 0]);
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
echo "client: connected\n";
usleep(200000);   // frozen from here for 3 s
try { $f = $c->readFrame(0.5); echo "client: got ", WsClient::describe($f), "\n"; } catch (WsTimeout $e) { echo "client: nothing came\n"; }
$c->send('back');
echo "client: ", WsClient::describe($c->readFrame()), "\n";
echo "client: ", $c->close(), "\n";
PHP);
echo salon_run_kill($server, [$child], $child, 'connected', 19, 0.1, function () use ($server, $child) {
	$server->after(3.0, function () use ($child) { proc_terminate($child->proc, 18); });
}, 20);
?>
--EXPECT--
server: close 1000
client: connected
client: nothing came
client: text "back"
client: close 1000 closed
client: got signal 19
