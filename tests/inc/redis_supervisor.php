<?php
/*
 * Keeps one redis-server for one cluster test, outside the test's process
 * tree (tests/inc/cluster.inc starts it from the test's SKIPIF section, which
 * run-tests never runs under valgrind): a redis-server started by the test
 * itself would run under valgrind too (run-tests -m traces children), and
 * every process started half-way would truncate the test's .mem file.
 *
 *   php -n redis_supervisor.php DIR [EXTRA REDIS ARGUMENTS]
 *
 * Picks a free port, writes DIR/port, starts redis-server (daemonized, pid in
 * DIR/redis.pid), then serves one-line commands on the unix socket
 * DIR/ctl.sock: "kill" (SIGKILL), "start", "shutdown" (stop everything and
 * exit); each is answered "ok" once done. Gives up by itself after 10
 * minutes without a command, or when DIR is gone.
 */
const REDIS = '/usr/bin/redis-server';

$dir = $argv[1];
$extra = $argv[2] ?? '';

function free_port(): int
{
	$s = stream_socket_server('tcp://127.0.0.1:0');
	$port = (int) substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
	fclose($s);
	return $port;
}

function redis_pid(string $dir): int
{
	return is_file("$dir/redis.pid") ? (int) file_get_contents("$dir/redis.pid") : 0;
}

function ping(int $port): bool
{
	$s = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $errstr, 1);
	if (!$s) {
		return false;
	}
	stream_set_timeout($s, 1);
	fwrite($s, "PING\r\n");
	$line = (string) fgets($s);
	fclose($s);
	return $line === "+PONG\r\n" || str_starts_with($line, '-NOAUTH');
}

function start(string $dir, int $port, string $extra): void
{
	exec(sprintf('%s --port %d --bind 127.0.0.1 --daemonize yes --pidfile %s --dir %s --logfile %s --save "" --appendonly no %s 2>&1',
		escapeshellarg(REDIS), $port, escapeshellarg("$dir/redis.pid"), escapeshellarg($dir),
		escapeshellarg("$dir/redis.log"), $extra));
	$deadline = microtime(true) + 10;
	while (!ping($port) && microtime(true) < $deadline) {
		usleep(20000);
	}
}

function kill_redis(string $dir): void
{
	$pid = redis_pid($dir);
	if ($pid > 0) {
		exec("kill -9 $pid 2>/dev/null");
		$deadline = microtime(true) + 5;
		while (file_exists("/proc/$pid") && microtime(true) < $deadline) {
			usleep(10000);
		}
	}
	@unlink("$dir/redis.pid");
}

$port = free_port();
file_put_contents("$dir/port", (string) $port);
file_put_contents("$dir/extra", $extra);
@unlink("$dir/ctl.sock");
$ctl = stream_socket_server("unix://$dir/ctl.sock", $errno, $errstr);
if (!$ctl) {
	file_put_contents("$dir/error", "ctl.sock: $errstr");
	exit(1);
}
start($dir, $port, $extra);
file_put_contents("$dir/ready", ping($port) ? 'ok' : 'redis-server did not start: ' . @file_get_contents("$dir/redis.log"));

$idle = microtime(true);
while (is_dir($dir) && microtime(true) - $idle < 600) {
	$c = @stream_socket_accept($ctl, 1);
	if (!$c) {
		continue;
	}
	$idle = microtime(true);
	stream_set_timeout($c, 5);
	$cmd = trim((string) fgets($c));
	if ($cmd === 'kill') {
		kill_redis($dir);
	} elseif ($cmd === 'start') {
		start($dir, $port, $extra);
	} elseif ($cmd === 'shutdown') {
		kill_redis($dir);
		fwrite($c, "ok\n");
		fclose($c);
		break;
	}
	fwrite($c, "ok\n");
	fclose($c);
}
kill_redis($dir);
@unlink("$dir/ctl.sock");
