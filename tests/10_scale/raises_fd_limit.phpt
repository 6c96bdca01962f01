--TEST--
Scale: creating a server raises the process's soft RLIMIT_NOFILE to the hard limit
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
salon_skip_under_memcheck();
if (!is_readable('/proc/self/limits')) die('skip no /proc/self/limits');
$hard = trim((string) shell_exec('ulimit -Hn'));
if ($hard === 'unlimited' || (int) $hard <= 1024) die("skip hard fd limit $hard");
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$so = salon_extension_path();
if ($so === null) { echo "salon.so not found\n"; exit; }
$code = <<<'PHP'
function nofile() { preg_match('/^Max open files\s+(\d+)\s+(\d+)/m', file_get_contents('/proc/self/limits'), $m); return [(int) $m[1], (int) $m[2]]; }
[$soft, $hard] = nofile();
echo "before: soft ", $soft === 1024 ? '1024' : $soft, "\n";
$s = new Salon\Server('127.0.0.1', 0);
[$soft2, $hard2] = nofile();
echo "after: soft ", $soft2 === $hard2 ? 'raised to the hard limit' : "$soft2 (hard $hard2)", "\n";
PHP;
$cmd = ['/bin/sh', '-c', 'ulimit -Sn 1024 && exec "$@"', 'sh', PHP_BINARY, '-n', '-d', "extension=$so", '-r', $code];
$p = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
echo stream_get_contents($pipes[1]);
proc_close($p);
?>
--EXPECT--
before: soft 1024
after: soft raised to the hard limit
