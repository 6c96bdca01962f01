--TEST--
TLS: TLS 1.2 and TLS 1.3 are both negotiated, carry an echo and end with the server's close_notify; ALPN picks http/1.1 from "h2, http/1.1" and answers nothing to "h2" alone
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . "/../inc/harness.inc"; require __DIR__ . "/../inc/tls.inc"; salon_skip_unless_python(); salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . "/../inc/harness.inc";
require __DIR__ . "/../inc/tls.inc";
$t = salon_tls_material();
$server = salon_tls_echo_server(['cert' => $t['a.pem'], 'key' => $t['a.key']]);
echo salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . "/../interop/tls_probe.py", 'versions', $t['ca.pem']], 'probe'), 30);
?>
--EXPECT--
asked 1.2: got TLSv1.2, alpn http/1.1, echo ok
asked 1.2: close 1000, close_notify received: yes
asked 1.3: got TLSv1.3, alpn http/1.1, echo ok
asked 1.3: close 1000, close_notify received: yes
alpn h2 only: got None, echo ok
