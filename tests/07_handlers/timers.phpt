--TEST--
Handlers: after() runs once, every() repeats until cancel(), timers run in due order
--EXTENSIONS--
salon
--FILE--
<?php
$server = new Salon\Server('127.0.0.1', 0);
$log = [];
$t0 = microtime(true);
$ticks = 0;
$server->after(0.2, function () use (&$log) { $log[] = 'after 0.2'; });
$server->after(0.1, function () use (&$log) { $log[] = 'after 0.1'; });
$cancelled = $server->after(0.15, function () use (&$log) { $log[] = 'cancelled timer ran'; });
$server->cancel($cancelled);
$server->cancel(987654); // unknown id: ignored
$every = $server->every(0.05, function () use (&$ticks) { $ticks++; });
$server->after(0.3, function () use ($server, $every, &$log, &$ticks) {
	$log[] = "every ran $ticks times by 0.3 s";
	$server->cancel($every);
	$log[] = 'cancelled every';
});
$server->after(0.5, function () use ($server, &$log, &$ticks) { $log[] = "ticks still $ticks"; $server->stop(); });
$server->run();
$dt = microtime(true) - $t0;
$log[2] = preg_replace('/\d+ times/', ($ticks >= 4 && $ticks <= 6 ? '4-6' : $ticks) . ' times', $log[2]);
$log[4] = preg_replace('/ticks still \d+/', 'ticks still ' . ($ticks >= 4 && $ticks <= 6 ? 'the same' : 'changed'), $log[4]);
echo implode("\n", $log), "\n";
echo $dt >= 0.45 && $dt < 2 ? "run() took about 0.5 s\n" : "run() took $dt s\n";
var_dump($every > 0, $every !== $cancelled);
?>
--EXPECT--
after 0.1
after 0.2
every ran 4-6 times by 0.3 s
cancelled every
ticks still the same
run() took about 0.5 s
bool(true)
bool(true)
