--TEST--
TLS: with proxy_protocol, a PROXY v2 header with a 1,100- or 1,500-byte TLV, or at the whole 2 KiB bound, sent in one write with the ClientHello names remoteAddress; one byte over the bound is closed
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . "/../inc/harness.inc"; require __DIR__ . "/../inc/tls.inc"; salon_skip_unless_python(); salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . "/../inc/harness.inc";
require __DIR__ . "/../inc/tls.inc";
$t = salon_tls_material();
$server = salon_tls_echo_server(['cert' => $t['a.pem'], 'key' => $t['a.key']], ['proxy_protocol' => true]);
$server->on('open', function (Salon\Connection $c) { echo "server: open from {$c->remoteAddress}\n"; });
echo salon_run($server, salon_spawn($server, [SALON_PYTHON, __DIR__ . '/../interop/tls_probe.py', 'proxy_tlv', $t['ca.pem']], 'probe'), 30);
echo "handshakes_failed: ", $server->stats()['handshakes_failed'], "\n";
?>
--EXPECTF--
server: open from 192.0.2.11:8888
server: open from 192.0.2.15:8888
server: open from 192.0.2.20:8888
1,100-byte TLV with the ClientHello: echo ok
1,500-byte TLV with the ClientHello: echo ok
2,048-byte block (the bound) with the ClientHello: echo ok
2,049-byte block with the ClientHello: refused (%s)
handshakes_failed: 1
