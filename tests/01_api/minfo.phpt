--TEST--
php --ri salon: the version, the OpenSSL and zlib versions and the compiled features
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; if (salon_extension_path() === null) die('skip salon.so not found'); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$p = proc_open([PHP_BINARY, '-n', '-d', 'extension=' . salon_extension_path(), '--ri', 'salon'], [1 => ['pipe', 'w'], 2 => ['redirect', 1]], $pipes);
$out = stream_get_contents($pipes[1]);
proc_close($p);
echo $out;
echo 'the version is phpversion("salon"): ', var_export(str_contains($out, 'Version => ' . phpversion('salon') . "\n"), true), "\n";
?>
--EXPECTF--

salon

Salon WebSocket server => enabled
Version => %d.%d.%s
OpenSSL => OpenSSL %d.%s
zlib => %d.%d.%s
Event loop => %s
TLS => %s
permessage-deflate => %s
Cluster => %s
Workers => %s
the version is phpversion("salon"): true
