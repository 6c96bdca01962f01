--TEST--
Lifecycle: SIGINT during run() stops gracefully like SIGTERM (close 1001, onClose, run() returns)
--EXTENSIONS--
salon
--SKIPIF--
<?php
// A background job may inherit SIGINT ignored; Salon then leaves it so.
$st = (string) @file_get_contents('/proc/self/status');
if (preg_match('/^SigIgn:\s*([0-9a-f]+)/mi', $st, $m) && (hexdec(substr($m[1], -4)) & 2)) die('skip SIGINT is ignored in this process');
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server();
$server->on('close', function (Salon\Connection $c, int $code) { echo "server: close $code\n"; });
$pid = getmypid();
$child = salon_client($server, <<<PHP
\$a = WsClient::connect(\$port);
\$a->ping('x');
\$a->readFrame();
exec('kill -INT $pid');
echo "a: ", \$a->expectFail(), "\\n";
PHP);
$guard = $server->after(20 * salon_scale(), function () use ($server) { echo "guard: no signal\n"; $server->stop(); });
$server->run();
$server->cancel($guard);
echo "run() returned\n";
echo $child->finish(10);
?>
--EXPECT--
server: close 1001
run() returned
a: close 1001 closed
