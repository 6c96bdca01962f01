--TEST--
TLS: option ca completes the chain: a leaf signed by an intermediate verifies against the root only when ca names the intermediate
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . "/../inc/harness.inc"; require __DIR__ . "/../inc/tls.inc"; salon_skip_unless_python(); salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . "/../inc/harness.inc";
require __DIR__ . "/../inc/tls.inc";
$t = salon_tls_material();
foreach ([['cert' => $t['c.pem'], 'key' => $t['c.key'], 'ca' => $t['int.pem']], ['cert' => $t['c.pem'], 'key' => $t['c.key']]] as $tls) {
	echo isset($tls['ca']) ? "with ca:\n" : "without ca:\n";
	$server = salon_tls_echo_server($tls);
	echo salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . "/../interop/tls_probe.py", 'chain', $t['ca.pem']], 'probe'), 30);
	unset($server);
}
?>
--EXPECT--
with ca:
chain: verified, serial 3003 O=Salon C, echo ok
without ca:
chain: not verified (unable to get local issuer certificate)
