--TEST--
Lifecycle: after a signal-stopped run(), the previous (default) SIGTERM behaviour is back: a second SIGTERM ends the process
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
if (salon_extension_path() === null) die('skip modules/salon.so not found');
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$code = <<<'PHP'
$s = new Salon\Server('127.0.0.1', 0);
$s->on('start', function (Salon\Server $s) { echo "listening\n"; });
$s->run();
echo "run() returned\n";
$s->run();  // a second run() installs the handlers again
echo "run() returned again\n";
sleep(20);
echo "not killed\n";
PHP;
$p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . salon_extension_path(), '-r', $code], [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
$read = function (string $want) use ($pipes) {
	$line = fgets($pipes[1]);
	echo $line === "$want\n" ? "child: $want\n" : "child said " . json_encode($line) . " instead of $want\n";
};
$pid = proc_get_status($p)['pid'];
$read('listening');
posix_like_kill($pid);
$read('run() returned');
$read('listening');
posix_like_kill($pid);
$read('run() returned again');
usleep(100000);
posix_like_kill($pid);
$t = microtime(true);
do {
	$st = proc_get_status($p);
	usleep(20000);
} while ($st['running'] && microtime(true) - $t < 10);
echo "rest: ", json_encode(stream_get_contents($pipes[1])), "\n";
echo "signaled: ", var_export($st['signaled'], true), ", termsig: ", $st['termsig'], "\n";
proc_close($p);

function posix_like_kill(int $pid): void
{
	exec("kill -TERM $pid");
}
?>
--EXPECT--
child: listening
child: run() returned
child: listening
child: run() returned again
rest: ""
signaled: true, termsig: 15
