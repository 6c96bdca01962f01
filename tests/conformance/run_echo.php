<?php
/*
 * Runs the Autobahn-style conformance client (autobahn.py) against Salon's
 * echo server (examples/echo/server.php) and exits with its status.
 *
 *   php -n tests/conformance/run_echo.php [--so modules/salon.so] [--limits]
 *       [--deflate] [--tls CERT KEY] [--report FILE] [-- more autobahn.py arguments]
 *
 * Sections 1-7 and 10 always run, strictly (--strict: NON-STRICT counts as a
 * failure, as Salon's specification asks for fail-fast UTF-8 and close
 * frames rather than TCP drops). --limits adds section 9 and starts the
 * server with SALON_OPTIONS='{"max_message_size": 16777216}'. --deflate adds
 * sections 12 and 13 (permessage-deflate) and starts the server with
 * SALON_OPTIONS='{"compression": true, "max_message_size": 16777216}'. --tls serves
 * wss:// with that certificate and key (SALON_OPTIONS gets a "tls" entry)
 * and runs autobahn.py with --tls.
 * The echo server runs with `php -n`, the extension being the only one loaded.
 */

$root = dirname(__DIR__, 2);
$so = getenv('SALON_SO') ?: "$root/modules/salon.so";
$limits = false;
$deflate = false;
$report = null;
$tls = null;
$extra = [];
for ($i = 1; $i < $argc; $i++) {
	$a = $argv[$i];
	if ($a === '--so') {
		$so = $argv[++$i];
	} elseif ($a === '--limits') {
		$limits = true;
	} elseif ($a === '--deflate') {
		$deflate = true;
	} elseif ($a === '--tls' && $i + 2 < $argc) {
		$tls = ['cert' => $argv[++$i], 'key' => $argv[++$i]];
	} elseif ($a === '--report') {
		$report = $argv[++$i];
	} elseif ($a === '--') {
		$extra = array_slice($argv, $i + 1);
		break;
	} else {
		fwrite(STDERR, "usage: php run_echo.php [--so PATH] [--limits] [--deflate] [--tls CERT KEY] [--report FILE] [-- autobahn.py args]\n");
		exit(2);
	}
}
if (!is_file($so)) {
	fwrite(STDERR, "run_echo: $so not found (make build, or --so PATH)\n");
	exit(2);
}

$env = getenv();
$options = [];
if ($limits || $deflate) {
	$options['max_message_size'] = 16777216;
}
if ($deflate) {
	$options = ['compression' => true] + $options;
}
if ($tls !== null) {
	$options['tls'] = $tls;
	// Under valgrind (the PHPT harness sets the scale) both ends of every
	// TLS handshake crawl: give it the same room as the other timeouts.
	$scale = (float) (getenv('SALON_TIMEOUT_SCALE') ?: 1);
	if ($scale > 1) {
		$options['handshake_timeout'] = 10 * $scale;
	}
}
if ($options) {
	$env['SALON_OPTIONS'] = json_encode($options, JSON_UNESCAPED_SLASHES);
}
$server = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . realpath($so), "$root/examples/echo/server.php", '0'],
	[0 => ['file', '/dev/null', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes, $root, $env);
if (!is_resource($server)) {
	fwrite(STDERR, "run_echo: cannot start the echo server\n");
	exit(2);
}
$line = fgets($pipes[1]);
if ($line === false || !preg_match('#^listening on wss?://127\.0\.0\.1:(\d+)#', $line, $m)) {
	fwrite(STDERR, "run_echo: echo server did not start: " . trim((string) $line) . stream_get_contents($pipes[2]) . "\n");
	proc_terminate($server);
	proc_close($server);
	exit(2);
}
$port = $m[1];
echo "echo server on port $port", $deflate ? ' (compression, max_message_size 16 MiB)' : ($limits ? ' (max_message_size 16 MiB)' : ''),
	$tls ? ' (TLS)' : '', "\n";
// The server's stderr is drained by a background reader only if it fills;
// it stays quiet unless a handler fails, which autobahn.py then reports.
stream_set_blocking($pipes[2], false);

$cmd = ['/usr/bin/python3', __DIR__ . '/autobahn.py', '--port', $port, '--strict', '-q'];
if ($limits) {
	$cmd[] = '--limits';
}
if ($deflate) {
	$cmd[] = '--deflate';
}
if ($tls !== null) {
	$cmd[] = '--tls';
}
if ($report !== null) {
	array_push($cmd, '--report', $report);
}
$cmd = array_merge($cmd, $extra);
$client = proc_open($cmd, [0 => ['file', '/dev/null', 'r'], 1 => STDOUT, 2 => STDOUT], $cpipes);
$rc = proc_close($client);

$status = proc_get_status($server);
if (!$status['running']) {
	echo "run_echo: the echo server exited during the run (code {$status['exitcode']})\n";
	$rc = $rc ?: 1;
}
$err = stream_get_contents($pipes[2]);
if ($err !== '' && $err !== false) {
	echo "echo server stderr:\n$err";
}
proc_terminate($server);
proc_close($server);
exit($rc);
