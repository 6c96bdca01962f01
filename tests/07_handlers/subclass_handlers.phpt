--TEST--
Handlers: a subclass's onOpen/onMessage/onClose methods are called, with the same Connection object each time
--EXTENSIONS--
salon
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
class Chat extends Salon\Server
{
	private ?Salon\Connection $first = null;
	public function onOpen(Salon\Connection $c): void
	{
		$this->first = $c;
		$c->data = ['name' => 'alice'];
		echo "onOpen {$c->id}\n";
	}
	public function onMessage(Salon\Connection $c, string $data, bool $binary): void
	{
		echo "onMessage $data binary=", var_export($binary, true), " same object ", var_export($c === $this->first, true), " data ", $c->data['name'], "\n";
		$c->send(strtoupper($data));
	}
	public function onClose(Salon\Connection $c, int $code, string $reason): void
	{
		echo "onClose $code $reason same object ", var_export($c === $this->first, true), "\n";
	}
}
$server = salon_server([], Chat::class);
$child = salon_client($server, <<<'PHP'
$c = WsClient::connect($port);
$c->send('hello');
echo WsClient::describe($c->readFrame()), "\n";
echo $c->close(1000, 'done'), "\n";
PHP);
echo salon_run($server, $child);
?>
--EXPECTF--
onOpen %d
onMessage hello binary=false same object true data alice
onClose 1000 done same object true
text "HELLO"
close 1000 closed
