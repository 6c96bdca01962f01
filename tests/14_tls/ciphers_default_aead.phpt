--TEST--
TLS: the default TLS 1.2 cipher list is AEAD only (a client offering only CBC-SHA1 or AES-CBC suites is refused, one with its defaults gets an AEAD suite), TLS 1.3 is unchanged, and the ciphers option still overrides the list
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . "/../inc/harness.inc"; require __DIR__ . "/../inc/tls.inc"; salon_skip_unless_python(); salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . "/../inc/harness.inc";
require __DIR__ . "/../inc/tls.inc";
$t = salon_tls_material();
$probe = [SALON_PYTHON, __DIR__ . "/../interop/tls_probe.py", 'ciphers', $t['ca.pem']];
echo "== default\n";
$server = salon_tls_echo_server(['cert' => $t['a.pem'], 'key' => $t['a.key']]);
echo salon_run($server, salon_spawn($server, $probe, 'probe'), 30);
echo "handshakes_failed: ", $server->stats()['handshakes_failed'], "\n";
echo "== ciphers => 'ECDHE-ECDSA-AES128-SHA'\n";
$server = salon_tls_echo_server(['cert' => $t['a.pem'], 'key' => $t['a.key'], 'ciphers' => 'ECDHE-ECDSA-AES128-SHA']);
echo salon_run($server, salon_spawn($server, $probe, 'probe'), 30);
?>
--EXPECTF--
== default
TLS 1.2, ECDHE-ECDSA-AES128-SHA only (CBC, SHA-1): refused (SSLError)
TLS 1.2, AES-CBC suites only: refused (SSLError)
TLS 1.2, the client's defaults: connected, TLSv1.2 ECDHE-ECDSA-%s (AEAD: yes), echo ok
TLS 1.3: connected, TLSv1.3 TLS_%s (AEAD: yes), echo ok
handshakes_failed: 2
== ciphers => 'ECDHE-ECDSA-AES128-SHA'
TLS 1.2, ECDHE-ECDSA-AES128-SHA only (CBC, SHA-1): connected, TLSv1.2 ECDHE-ECDSA-AES128-SHA (AEAD: no), echo ok
TLS 1.2, AES-CBC suites only: connected, TLSv1.2 ECDHE-ECDSA-AES128-SHA (AEAD: no), echo ok
TLS 1.2, the client's defaults: connected, TLSv1.2 ECDHE-ECDSA-AES128-SHA (AEAD: no), echo ok
TLS 1.3: connected, TLSv1.3 TLS_%s (AEAD: yes), echo ok
