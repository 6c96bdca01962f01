--TEST--
permessage-deflate interop: Node ws with perMessageDeflate, with context takeover and without, exchanges 0 B, 1 B, 100 KiB and 1 MiB of text, 1 MiB of random binary and a repeated chat line
--EXTENSIONS--
salon
--SKIPIF--
<?php require __DIR__ . '/../inc/harness.inc'; salon_skip_unless_node(); ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_echo_server(['compression' => true]);
$child = salon_spawn($server, [salon_node(), __DIR__ . '/../interop/deflate_ws.js'], 'node');
echo salon_run($server, $child, 60);
?>
--EXPECT--
server: close 1000
server: close 1000
takeover: permessage-deflate
  text 0: same, full size on the wire
  text 1: same, full size on the wire
  text 100 KiB: same, compressed on the wire
  text 1 MiB: same, compressed on the wire
  binary 1 MiB random: same, full size on the wire
  chat line x3: same, later ones far smaller on the wire
  closed 1000
no takeover: permessage-deflate; server_no_context_takeover; client_no_context_takeover
  text 0: same, full size on the wire
  text 1: same, full size on the wire
  text 100 KiB: same, compressed on the wire
  text 1 MiB: same, compressed on the wire
  binary 1 MiB random: same, full size on the wire
  chat line x3: same, the same size on the wire each time
  closed 1000
