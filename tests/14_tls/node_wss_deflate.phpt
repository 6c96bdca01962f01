--TEST--
TLS + permessage-deflate: Node ws with perMessageDeflate over wss:// (trusting only the test CA), with context takeover and without, exchanges 0 B, 1 B, 100 KiB and 1 MiB of text, 1 MiB of random binary and a repeated chat line
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; require __DIR__ . '/../inc/tls.inc'; salon_skip_unless_node(); salon_skip_unless_openssl_cli(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
require __DIR__ . '/../inc/tls.inc';
$t = salon_tls_material();
$server = salon_tls_echo_server(['cert' => $t['a.pem'], 'key' => $t['a.key']], ['compression' => true], true);
$child = salon_spawn($server, [salon_node(), __DIR__ . '/../interop/deflate_ws.js', '--tls', $t['ca.pem']], 'node');
echo salon_run($server, $child, 60);
?>
--EXPECT--
server: close 1000
server: close 1000
takeover: tls TLSv1.3
takeover: permessage-deflate
  text 0: same, full size on the wire
  text 1: same, full size on the wire
  text 100 KiB: same, compressed on the wire
  text 1 MiB: same, compressed on the wire
  binary 1 MiB random: same, full size on the wire
  chat line x3: same, later ones far smaller on the wire
  closed 1000
no takeover: tls TLSv1.3
no takeover: permessage-deflate; server_no_context_takeover; client_no_context_takeover
  text 0: same, full size on the wire
  text 1: same, full size on the wire
  text 100 KiB: same, compressed on the wire
  text 1 MiB: same, compressed on the wire
  binary 1 MiB random: same, full size on the wire
  chat line x3: same, the same size on the wire each time
  closed 1000
