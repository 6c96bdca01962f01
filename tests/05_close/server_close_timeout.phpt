--TEST--
Close: when the peer never answers the server's close frame, TCP is closed after close_timeout and onClose fires once
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$server = salon_server(['close_timeout' => 0.5]);
$n = 0;
$server->on('open', function (Salon\Connection $c) { $c->close(1000, 'closing'); });
$server->on('close', function ($c, $code) use (&$n) { $n++; });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
echo WsClient::describe($c->readFrame()), "\n";
$t = microtime(true);
// no answer: the server must give up by itself
echo $c->expectClosed(5.0), "\n";
$dt = microtime(true) - $t;
echo $dt < salon_timeout(3) ? "in time\n" : "too late ($dt s)\n";
PHP);
echo salon_run($server, $child);
echo "onClose calls: $n\n";
?>
--EXPECT--
close 1000 closing
closed
in time
onClose calls: 1
