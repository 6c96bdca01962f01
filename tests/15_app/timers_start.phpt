--TEST--
Timers: set up in onStart; a throwing timer callback goes to onError (null connection) and the loop goes on; without an error handler it goes to STDERR; millisecond order
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$log = [];
$server->on('start', function (Salon\Server $s) use (&$log) {
	$log[] = 'start';
	$s->every(0.01, function () use ($s) {
		if (++$GLOBALS['ticks'] === 5) {
			$s->cancel($GLOBALS['every']);
		}
	});
	$GLOBALS['every'] = 1;   // the id of the first timer of a fresh server
	$s->after(0.06, function () use (&$log) { $log[] = 'after 60 ms'; });
	$s->after(0.02, function () use (&$log) { $log[] = 'after 20 ms'; });
	$s->after(0.1, function () { throw new RuntimeException('timer failed'); });
	$s->after(0.3, function () use ($s, &$log) { $log[] = 'after 300 ms: still running'; $s->stop(); });
});
$server->on('error', function (?Salon\Connection $c, Throwable $e) use (&$log) {
	$log[] = 'error: connection ' . var_export($c, true) . ', ' . get_class($e) . ': ' . $e->getMessage();
});
$ticks = 0;
$server->run();
echo implode("\n", $log), "\n";
echo "every() ticked $ticks times, then was cancelled\n";

echo "-- without an error handler\n";
$plain = salon_server();
$plain->on('start', function (Salon\Server $s) {
	$s->after(0.01, function () { throw new LogicException('nobody catches this'); });
	$s->after(0.05, function () use ($s) { echo "after 50 ms: still running\n"; $s->stop(); });
});
$plain->run();
echo "-- stop() in onStart\n";
$quick = salon_server();
$quick->on('start', function (Salon\Server $s) { echo "start\n"; $s->stop(); });
$t = microtime(true);
$quick->run();
echo "run() returned at once: ", var_export(microtime(true) - $t < 0.5 * salon_scale(), true), "\n";
?>
--EXPECTF--
start
after 20 ms
after 60 ms
error: connection NULL, RuntimeException: timer failed
after 300 ms: still running
every() ticked 5 times, then was cancelled
-- without an error handler
%sLogicException%snobody catches this%s
after 50 ms: still running
-- stop() in onStart
start
run() returned at once: true
