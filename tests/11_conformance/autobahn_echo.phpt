--TEST--
Conformance: autobahn.py sections 1-7 and 10 against examples/echo/server.php, strict, no failure
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
salon_skip_under_memcheck();
if (!is_executable(SALON_PYTHON)) die('skip /usr/bin/python3 not found');
if (salon_extension_path() === null) die('skip salon.so path unknown (set SALON_SO)');
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$p = proc_open([PHP_BINARY, '-n', __DIR__ . '/../conformance/run_echo.php', '--so', salon_extension_path()],
	[1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
echo stream_get_contents($pipes[1]);
echo "exit ", proc_close($p), "\n";
?>
--EXPECTF--
echo server on port %d
results: %d OK, 0 NON-STRICT, %d INFORMATIONAL, 0 FAILED in %f s
conformance: %d passed, 0 failed
exit 0
