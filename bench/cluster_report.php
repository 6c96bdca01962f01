<?php
/*
 * bench/cluster.sh's report: reads the wsload JSON lines of the runs and
 * prints the markdown tables (medians) and the cost of the Redis hop.
 *   php cluster_report.php RESULTS.jsonl RECEIVERS SIZE RUNS DURATION START SECONDS REV REDIS_VERSION SALON_SO RATE WINDOW
 */
[, $file, $recv, $size, $runs, $dur, $start, $secs, $rev, $rv, $so, $rate, $window] = $argv;
$recv = (int) $recv;
$by = [];
foreach (file($file, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $l) {
	$r = json_decode($l, true);
	if ($r) {
		$by[$r['scenario']][] = $r;
	}
}
$med = function (array $v) {
	sort($v);
	return $v ? $v[intdiv(count($v), 2)] : NAN;
};
$f = fn (string $s, string $k) => $med(array_column($by[$s] ?? [], $k));
$range = function (string $s, string $k, string $fmt) use ($by, $med) {
	$v = array_column($by[$s] ?? [], $k);
	return count($v) > 1 ? sprintf(" ({$fmt}–{$fmt})", min($v), max($v)) : '';
};
$errors = fn (string $s) => array_sum(array_column($by[$s] ?? [], 'errors')) + array_sum(array_column($by[$s] ?? [], 'missing'));

printf("# Salon cluster broadcast (%s runs of %s s, %s)\n\n", $runs, $dur, $start);
printf("Machine: %d CPUs (%s), Linux %s; load average %s at the end; %d s.  \n", (int) shell_exec('nproc'),
	trim((string) shell_exec("sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1")), php_uname('r'),
	implode(' ', array_slice(explode(' ', (string) file_get_contents('/proc/loadavg')), 0, 3)), $secs);
printf("Source: %s; PHP %s; Redis %s on loopback TCP; Salon cluster %s. Nodes and redis-server on CPU 0, bench/wsload on CPU 1.  \n",
	$rev, PHP_VERSION, $rv, trim((string) shell_exec('php -n -d extension=' . escapeshellarg($so) . " --ri salon | sed -n 's/^Cluster => //p'")));
printf("1 sender, %d receivers, %s B binary messages, PHP handler `\$server->broadcast(\$data, \$binary)`; median (min–max) of the runs.\n\n", $recv, $size);

$names = ['one' => 'one node', 'one-bus' => 'one node + bus (publishes, ignores its own)', 'two' => 'two nodes: sender on A, receivers on B'];
echo "### Throughput (window of $window messages)\n\n";
echo "| scenario | deliveries/s | messages/s | server CPU µs per delivery | per message | CPU of the servers | of wsload | errors |\n|---|---|---|---|---|---|---|---|\n";
foreach ($names as $k => $label) {
	if (!isset($by[$k])) {
		echo "| $label | did not run | | | | | | |\n";
		continue;
	}
	printf("| %s | %s%s | %s | %.3f%s | %.1f | %.0f %% | %.0f %% | %d |\n", $label, number_format($f($k, 'ops_per_s')),
		$range($k, 'ops_per_s', '%.0f'), number_format($f($k, 'sent_per_s')), $f($k, 'server_cpu_per_op_us'),
		$range($k, 'server_cpu_per_op_us', '%.3f'), $f($k, 'server_cpu_per_op_us') * $recv, $f($k, 'server_cpu_pct'),
		$f($k, 'client_cpu_pct'), $errors($k));
}
echo "\n### Latency at $rate messages/s (nothing queues)\n\n";
echo "| scenario | fan-out p50 µs | p99 µs | server CPU µs per message | errors |\n|---|---|---|---|---|\n";
foreach (['one@rate' => 'one node', 'two@rate' => 'two nodes: sender on A, receivers on B'] as $k => $label) {
	if (!isset($by[$k])) {
		echo "| $label | did not run | | | |\n";
		continue;
	}
	printf("| %s | %.0f%s | %.0f%s | %.1f | %d |\n", $label, $f($k, 'lat_p50_us'), $range($k, 'lat_p50_us', '%.0f'),
		$f($k, 'lat_p99_us'), $range($k, 'lat_p99_us', '%.0f'), $f($k, 'server_cpu_per_op_us') * $recv, $errors($k));
}
if (isset($by['one@rate'], $by['two@rate'], $by['one'], $by['two'])) {
	printf("\n**The Redis hop** costs %+.0f µs of fan-out latency at the median (%+.0f µs at p99) and %+.1f µs of CPU per message summed over node A, Redis and node B (%.1f µs instead of %.1f at full speed, %.1f instead of %.1f when paced); two nodes deliver %.0f %% of one node's deliveries/s here.\n",
		$f('two@rate', 'lat_p50_us') - $f('one@rate', 'lat_p50_us'), $f('two@rate', 'lat_p99_us') - $f('one@rate', 'lat_p99_us'),
		($f('two', 'server_cpu_per_op_us') - $f('one', 'server_cpu_per_op_us')) * $recv,
		$f('two', 'server_cpu_per_op_us') * $recv, $f('one', 'server_cpu_per_op_us') * $recv,
		$f('two@rate', 'server_cpu_per_op_us') * $recv, $f('one@rate', 'server_cpu_per_op_us') * $recv,
		100 * $f('two', 'ops_per_s') / max(1, $f('one', 'ops_per_s')));
}
