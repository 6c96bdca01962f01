--TEST--
Workers with TLS: SIGHUP to the master is forwarded, every worker reloads its certificate, and the master keeps running
--EXTENSIONS--
salon
--SKIPIF--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/tls.inc';
salon_skip_unless_openssl_cli();
if (salon_extension_path() === null) die('skip modules/salon.so not found for the node process');
?>
--FILE--
<?php
require __DIR__ . '/../inc/cluster.inc';
require __DIR__ . '/../inc/tls.inc';
$t = salon_tls_material();
$cert = $t['dir'] . '/live.pem';
$key = $t['dir'] . '/live.key';
copy($t['a.pem'], $cert);
copy($t['a.key'], $key);
$w = salon_cluster_node('-', 2, 'node W', ['tls' => ['cert' => $cert, 'key' => $key], 'handshake_timeout' => 10 * salon_scale()]);
$master = proc_get_status($w->child->proc)['pid'];
$code = 'require ' . var_export(realpath(__DIR__ . '/../inc/cluster.inc'), true) . ";\n"
	. sprintf('$master = %d; $t = %s; $cert = %s; $key = %s;', $master, var_export($t, true), var_export($cert, true), var_export($key, true)) . <<<'PHP'
function serials(int $port, int $n): string {
	$seen = [];
	for ($i = 0; $i < $n; $i++) {
		$ctx = stream_context_create(['ssl' => ['verify_peer' => false, 'verify_peer_name' => false, 'capture_peer_cert' => true]]);
		$s = stream_socket_client("tls://127.0.0.1:$port", $errno, $errstr, salon_timeout(10), STREAM_CLIENT_CONNECT, $ctx);
		$seen[openssl_x509_parse(stream_context_get_params($s)['options']['ssl']['peer_certificate'])['serialNumberHex']] = true;
		fclose($s);
	}
	ksort($seen);
	return implode(',', array_keys($seen));
}
echo 'before: ', serials($port, 16), "\n";
copy($t['b.pem'], "$cert.tmp"); rename("$cert.tmp", $cert);
copy($t['b.key'], "$key.tmp"); rename("$key.tmp", $key);
exec("kill -HUP $master");
usleep(300000);
echo 'master alive: ', var_export(!salon_pid_gone($master), true), "\n";
echo 'after SIGHUP, 16 new connections (both workers): ', serials($port, 16), "\n";
exec("kill -TERM $master");
PHP;
$client = new SalonChild([PHP_BINARY, '-n', __DIR__ . '/../inc/client_main.php', (string) $w->port], $code, 'client');
echo $client->finish(30);
echo $w->child->finish(10);
?>
--EXPECTF--
before: 1001
master alive: true
after SIGHUP, 16 new connections (both workers): 2002
port %d
node stopped
