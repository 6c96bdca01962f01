--TEST--
Conformance: autobahn.py --tls sections 1-7 over wss:// against examples/echo/server.php with TLS options from SALON_OPTIONS, strict, no failure
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/tls.inc';
if (!is_executable(SALON_PYTHON)) die('skip /usr/bin/python3 not found');
if (salon_extension_path() === null) die('skip salon.so path unknown (set SALON_SO)');
salon_skip_unless_openssl_cli();
salon_skip_under_memcheck();
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/tls.inc';
$t = salon_tls_material();
$p = proc_open([PHP_BINARY, '-n', __DIR__ . '/../conformance/run_echo.php', '--so', salon_extension_path(),
	'--tls', $t['a.pem'], $t['a.key'], '--', '--cases', '1.*,2.*,3.*,4.*,5.*,6.*,7.*', '--timeout', (string) (5 * salon_scale())],
	[1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
echo stream_get_contents($pipes[1]);
echo "exit ", proc_close($p), "\n";
?>
--EXPECTF--
echo server on port %d (TLS)
results: %d OK, 0 NON-STRICT, %d INFORMATIONAL, 0 FAILED in %f s
conformance: %d passed, 0 failed
exit 0
