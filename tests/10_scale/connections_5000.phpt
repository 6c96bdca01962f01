--TEST--
Scale: one server process holds 5,000 concurrent connections, each of which exchanges a message
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
salon_skip_under_memcheck();
if (!is_executable(SALON_PYTHON)) die('skip /usr/bin/python3 not found');
$hard = trim((string) shell_exec('ulimit -Hn'));
if ($hard !== 'unlimited' && (int) $hard < 12000) die("skip hard fd limit $hard < 12000");
?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['max_connections' => 0, 'max_connections_per_ip' => 0]);
$opens = $closes = $messages = $peak = 0;
$codes = [];
$server->on('open', function () use ($server, &$opens, &$peak) { $opens++; $peak = max($peak, count($server)); });
$server->on('message', function (Salon\Connection $c, string $d) use ($server, &$messages) {
	$messages++;
	$c->send($d === 'count' ? (string) count($server) : $d);
});
$server->on('close', function ($c, $code) use (&$closes, &$codes) { $closes++; $codes[$code] = ($codes[$code] ?? 0) + 1; });
// The server raises its own soft RLIMIT_NOFILE; the client is started with a raised one.
$child = salon_spawn($server, [SALON_PYTHON, __DIR__ . '/../interop/many_clients.py', '5000'], 'clients', 16384);
echo salon_run($server, $child, 120);
echo "server: opens $opens, peak $peak, messages $messages, closes $closes\n";
var_dump($codes);
?>
--EXPECT--
opened 5000
echoed 5000
server count 5000
closed 5000
server: opens 5000, peak 5000, messages 5001, closes 5000
array(1) {
  [1000]=>
  int(5000)
}
