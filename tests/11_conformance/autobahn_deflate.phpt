--TEST--
Conformance: autobahn.py sections 12 and 13 (permessage-deflate) and 3 (reserved bits, not negotiated) against the echo server with compression, strict, no failure
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
$p = proc_open([PHP_BINARY, '-n', __DIR__ . '/../conformance/run_echo.php', '--so', salon_extension_path(), '--deflate', '--', '--cases', '3.*,12.*,13.*'],
	[1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
echo stream_get_contents($pipes[1]);
echo "exit ", proc_close($p), "\n";
?>
--EXPECTF--
echo server on port %d (compression, max_message_size 16 MiB)
results: 223 OK, 0 NON-STRICT, 0 INFORMATIONAL, 0 FAILED in %f s
conformance: 223 passed, 0 failed
exit 0
