--TEST--
Scale: 1,000 connections trickling their handshake one byte per second are closed at handshake_timeout; a real client's round trips stay fast meanwhile
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
salon_skip_under_memcheck();
if (!is_executable(SALON_PYTHON)) die('skip /usr/bin/python3 not found');
$hard = trim((string) shell_exec('ulimit -Hn'));
if ($hard !== 'unlimited' && (int) $hard < 4096) die("skip hard fd limit $hard < 4096");
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['handshake_timeout' => 2], false);
$opens = 0;
$server->on('open', function () use (&$opens) { $opens++; });
$child = salon_spawn($server, [SALON_PYTHON, __DIR__ . '/../interop/fault_client.py', 'slowloris', '1000'], 'slowloris', 4096);
echo salon_run($server, $child, 60);
echo "server: opens $opens, open at the end ", $server->stats()["connections"], "\n";
?>
--EXPECT--
slow connections closed by the server: 1000 of 1000
real client worst round trip under 0.5 s
server: opens 1, open at the end 0
