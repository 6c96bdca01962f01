--TEST--
Hardening: a peer that stops answering (its process frozen with SIGSTOP: TCP stays up, no FIN) is detected by the heartbeat and closed, onClose 1006, within idle_timeout of the last thing it sent
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/hardening.inc';
const IDLE = 2.0;
$server = salon_echo_server(['idle_timeout' => IDLE], false);
$stoppedAt = $lag = null;
$victim = null;
$server->on('close', function (Salon\Connection $c, int $code) use (&$stoppedAt, &$lag, &$victim) {
	$lag = microtime(true) - $stoppedAt;
	echo "server: close $code\n";
	proc_terminate($victim->proc, 18);   // SIGCONT: let it see what happened
});
$victim = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$t0 = microtime(true);
$said = false;
while (microtime(true) - $t0 < salon_timeout(10)) {
	try { $f = $c->readFrame(0.1); } catch (WsTimeout $e) { continue; }
	if ($f === null) { echo "victim: after SIGCONT, the connection was closed by the server\n"; exit; }
	if ($f[0] === OP_PING) {
		$c->sendFrame(OP_PONG, $f[1]);
		if (!$said) { echo "victim: answered a ping\n"; $said = true; }
	}
}
echo "victim: still connected after 10 s\n";
PHP);
$victim->name = 'victim';
echo salon_run_kill($server, [$victim], $victim, 'answered a ping', 19, 0.05,
	function () use (&$stoppedAt) { $stoppedAt = microtime(true); }, 30);
// The last pong came at most idle/2 before the stop; the deadline is idle after it.
salon_check('server: closed within idle_timeout of the stop', $lag !== null && $lag > IDLE / 2 - 0.1 && $lag < IDLE + 0.5 * salon_scale(), var_export($lag, true));
?>
--EXPECT--
server: close 1006
victim: answered a ping
victim: after SIGCONT, the connection was closed by the server
victim: got signal 19
server: closed within idle_timeout of the stop: ok
