--TEST--
Handlers: a handler set with on() wins over the subclass method
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
class S extends Salon\Server
{
	public function onMessage(Salon\Connection $c, string $data, bool $binary): void { echo "method\n"; }
}
$server = salon_server([], S::class);
$server->on('message', function ($c, $d) { echo "closure\n"; $c->send('ok'); });
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send('x');
echo WsClient::describe($c->readFrame()), "\n";
echo $c->close(), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECT--
closure
text "ok"
close 1000 closed
