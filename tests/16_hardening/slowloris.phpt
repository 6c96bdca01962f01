--TEST--
Hardening: 1,000 connections trickling their handshake one byte per second are all closed when handshake_timeout expires; a real client's handshake and round trips stay fast during the attack
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/hardening.inc';
salon_skip_slow();
$hard = trim((string) shell_exec('ulimit -Hn'));
if ($hard !== 'unlimited' && (int) $hard < 4096) die("skip hard fd limit $hard < 4096");
?>
--FILE--
<?php
require __DIR__ . '/hardening.inc';
const SLOW = 1000;
const TIMEOUT = 1.5; // handshake_timeout, s: bytes still arrive at 0 s and 1 s, neither buys time
$server = salon_echo_server(['handshake_timeout' => TIMEOUT], false);
$opens = 0;
$server->on('open', function () use (&$opens) { $opens++; });
$fd0 = salon_fd_count();
$rss0 = salon_rss_kib();

// The attacker: SLOW sockets, one byte of a valid request each per second;
// reports how long each lived and whether any got an answer.
$slow = salon_client_nofile($server, <<<'PHP'
$req = ws_request($port);
$socks = $born = $lived = [];
for ($i = 0; $i < 1000; $i++) {
	$socks[$i] = salon_tcp_connect($port);
	stream_set_blocking($socks[$i], false);
	$born[$i] = microtime(true);
}
$answered = 0;
$deadline = microtime(true) + 1.5 + salon_timeout(6);
for ($byte = 0; count($lived) < count($socks) && microtime(true) < $deadline; $byte++) {
	$tick = microtime(true);
	foreach ($socks as $i => $s) {
		if (isset($lived[$i])) continue;
		$d = @fread($s, 4096);
		if ($d !== '' && $d !== false) $answered++;
		if ($d === false || feof($s) || @fwrite($s, $req[$byte % strlen($req)]) !== 1) {
			$lived[$i] = microtime(true) - $born[$i];
			fclose($s);
		}
	}
	while (microtime(true) - $tick < 1.0 && count($lived) < count($socks)) {
		usleep(20000);   // notice closes within 20 ms, still write once a second
		foreach ($socks as $i => $s) {
			if (!isset($lived[$i]) && ((($d = @fread($s, 4096)) === false) || feof($s))) {
				$lived[$i] = microtime(true) - $born[$i];
				fclose($s);
			} elseif (!isset($lived[$i]) && $d !== '') {
				$answered++;
			}
		}
	}
}
$early = count(array_filter($lived, fn ($t) => $t < 1.5 - 0.1));
$late = count(array_filter($lived, fn ($t) => $t > 1.5 + salon_timeout(1.0)));
echo "slowloris: closed by the server ", count($lived), " of ", count($socks), "\n";
echo "slowloris: closed before handshake_timeout $early, later than 1 s after it $late, answered $answered\n";
PHP, 4096, 'slowloris');

// The real client, started once the server has accepted every slow socket:
// its handshake and 40 round trips span the moment all of them expire.
$real = null;
$realCode = <<<'PHP'
$t = microtime(true);
$c = WsClient::connect($port);
$hs = microtime(true) - $t;
$worst = 0.0;
for ($i = 0; $i < 40; $i++) {
	$t = microtime(true);
	$c->send("ping $i");
	$f = $c->readFrame();
	$worst = max($worst, microtime(true) - $t);
	if ($f[1] !== "ping $i") { echo "real client: wrong echo ", WsClient::describe($f), "\n"; break; }
	usleep(50000);
}
echo "real client: handshake ", $hs < salon_timeout(0.5) ? 'under 0.5 s' : sprintf('%.3f s', $hs), "\n";
echo "real client: worst round trip ", $worst < salon_timeout(0.5) ? 'under 0.5 s' : sprintf('%.3f s', $worst), "\n";
echo "real client: ", $c->close(), "\n";
PHP;
$peakFd = $peakRss = 0;
$fdEnd = null;
$tick = $server->every(0.02, function () use ($server, $slow, &$real, $realCode, &$peakFd, &$peakRss, &$fdEnd) {
	$peakFd = max($peakFd, salon_fd_count());
	$peakRss = max($peakRss, salon_rss_kib());
	if ($real === null && $server->stats()['connections_total'] >= SLOW) {
		$real = salon_client($server, $realCode);
		$real->name = 'real client';
	}
	if (!$slow->poll() && $real !== null && !$real->poll()) {
		$fdEnd = salon_fd_count();
		$server->stop();
	}
});
$guard = $server->after(40 * salon_scale(), function () use ($server) { echo "guard: timeout\n"; $server->stop(); });
$server->run();
$server->cancel($tick);
$server->cancel($guard);
echo $slow->finish(), $real ? $real->finish() : "real client never started\n";
// Two children, one stdout pipe each, still open at $fdEnd; no socket left.
salon_check('server: every descriptor released while running', $fdEnd === $fd0 + 2, "before $fd0, at the end $fdEnd");
salon_check('server: slow sockets were all held at once', $peakFd >= $fd0 + SLOW, "peak $peakFd");
echo "server: opens $opens, open at the end ", $server->stats()['connections'], "\n";
salon_report('slowloris', ['fd_before' => $fd0, 'fd_peak' => $peakFd, 'fd_after' => $fdEnd - 2,
	'rss_before_kib' => $rss0, 'rss_peak_kib' => $peakRss, 'rss_after_kib' => salon_rss_kib()]);
?>
--EXPECT--
slowloris: closed by the server 1000 of 1000
slowloris: closed before handshake_timeout 0, later than 1 s after it 0, answered 0
real client: handshake under 0.5 s
real client: worst round trip under 0.5 s
real client: close 1000 closed
server: every descriptor released while running: ok
server: slow sockets were all held at once: ok
server: opens 1, open at the end 0
