--TEST--
Handlers: a subclass method that looks like a handler but is none (onMesage, onConnect, Ratchet's onError signature) gets one E_WARNING at construction naming it and the known handlers
--EXTENSIONS--
salon
--FILE--
<?php
interface ConnectionInterface {}
class Ported extends Salon\Server
{
	public function onConnect(Salon\Connection $c): void {}
	public function onMesage(Salon\Connection $c, string $data): void {}
	public function onBufferDrain($c): void {}
	public function onError(ConnectionInterface $c, \Exception $e): void {}
	public function onClose(Salon\Connection $c, int $code, string $reason, bool $extra): void {}
	public function onMessage(Salon\Connection $c, string $data, bool $binary): void {}
	// Not handler-like: no warning.
	public function online(): bool { return true; }
	public function on_close(): void {}
	public function broadcastAll(): void {}
}
class Fine extends Salon\Server
{
	public function onOpen(Salon\Connection $c): void {}
	public function onMessage($c, $data, $binary = false) {}
	public function onClose(Salon\Connection $c, int $code = 1000, string $reason = ''): void {}
	public function onError(?Salon\Connection $c, Throwable $e): void {}
	public function onDrain(Salon\Connection $c): void {}
	public function onHandshake(Salon\Request $r): bool|int { return true; }
	public function onStart(Salon\Server $s): void {}
}
class Loose extends Salon\Server
{
	public function onError(mixed $c, object $e): void {}
	public function onOpen(object $c, ...$rest): void {}
}
class Strict extends Salon\Server
{
	// Timer and handshake errors come with a null connection.
	public function onError(Salon\Connection $c, Throwable $e): void {}
}
$s = new Ported('127.0.0.1', 0);
echo "constructed: ", $s->port() > 0 ? 'yes' : 'no', "\n";
new Fine('127.0.0.1', 0);
echo "Fine: no warning\n";
new Loose('127.0.0.1', 0);
echo "Loose: no warning\n";
new Strict('127.0.0.1', 0);
?>
--EXPECTF--
Warning: Salon\Server::__construct(): Ported::onConnect() is not a Salon handler and is never called (did you mean onOpen()?); the handlers are onOpen, onMessage, onClose, onError, onDrain, onHandshake, onStart in %s on line %d

Warning: Salon\Server::__construct(): Ported::onMesage() is not a Salon handler and is never called (did you mean onMessage()?); the handlers are onOpen, onMessage, onClose, onError, onDrain, onHandshake, onStart in %s on line %d

Warning: Salon\Server::__construct(): Ported::onBufferDrain() is not a Salon handler and is never called (did you mean onDrain()?); the handlers are onOpen, onMessage, onClose, onError, onDrain, onHandshake, onStart in %s on line %d

Warning: Salon\Server::__construct(): Ported::onError(): parameter #1 ($c) of type ConnectionInterface does not accept the ?Salon\Connection Salon passes; the handler is called as onError(?Salon\Connection $c, Throwable $e) in %s on line %d

Warning: Salon\Server::__construct(): Ported::onClose() requires 4 arguments; the handler is called as onClose(Salon\Connection $c, int $code, string $reason) in %s on line %d
constructed: yes
Fine: no warning
Loose: no warning

Warning: Salon\Server::__construct(): Strict::onError(): parameter #1 ($c) of type Salon\Connection does not accept null, which Salon passes for errors outside a connection (timers, the handshake handler); the handler is called as onError(?Salon\Connection $c, Throwable $e) in %s on line %d
