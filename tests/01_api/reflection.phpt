--TEST--
Reflection: the API's classes, signatures and property types
--EXTENSIONS--
salon
--FILE--
<?php
function type(?ReflectionType $t): string
{
    return $t === null ? '-' : (string)$t;
}
foreach (['Salon\Exception', 'Salon\Server', 'Salon\Connection', 'Salon\Request', 'Salon\Response'] as $name) {
    $class = new ReflectionClass($name);
    echo $class->isFinal() ? 'final ' : '', 'class ', $name;
    if ($parent = $class->getParentClass()) {
        echo ' extends ', $parent->getName();
    }
    if ($interfaces = $class->getInterfaceNames()) {
        echo ' implements ', implode(', ', $interfaces);
    }
    echo "\n";
    foreach ($class->getProperties() as $p) {
        if ($p->getDeclaringClass()->getName() !== $name) {
            continue;
        }
        echo '  ', $p->isReadOnly() ? 'readonly ' : '', type($p->getType()), ' $', $p->getName(),
            $p->hasDefaultValue() ? ' = ' . json_encode($p->getDefaultValue()) : '', "\n";
    }
    foreach ($class->getMethods() as $m) {
        if ($m->getDeclaringClass()->getName() !== $name) {
            continue;
        }
        $params = [];
        foreach ($m->getParameters() as $p) {
            $params[] = type($p->getType()) . ' $' . $p->getName()
                . ($p->isDefaultValueAvailable() ? ' = ' . json_encode($p->getDefaultValue()) : '');
        }
        echo '  ', $m->getName(), '(', implode(', ', $params), '): ', type($m->getReturnType()), "\n";
    }
}
?>
--EXPECT--
class Salon\Exception extends RuntimeException implements Stringable, Throwable
class Salon\Server implements Countable
  __construct(string $host = "127.0.0.1", int $port = 8000, array $options = []): -
  on(string $event, callable $handler): static
  run(): void
  stop(): void
  broadcast(string $data, bool $binary = false, ?string $room = null, ?Salon\Connection $except = null): int
  roomCount(string $room): int
  rooms(): array
  connections(): array
  connection(int $id): ?Salon\Connection
  count(): int
  port(): int
  host(): string
  stats(): array
  reloadTls(): void
  after(float $seconds, callable $callback): int
  every(float $seconds, callable $callback): int
  cancel(int $id): void
  workerId(): int
  clusterCount(?string $room = null): int
final class Salon\Connection
  readonly int $id
  readonly string $remoteAddress
  mixed $data = null
  send(string $data, bool $binary = false): bool
  ping(string $payload = ""): void
  close(int $code = 1000, string $reason = ""): void
  isOpen(): bool
  join(string $room): bool
  leave(string $room): bool
  rooms(): array
  bufferedAmount(): int
  request(): Salon\Request
  subprotocol(): ?string
  server(): Salon\Server
final class Salon\Request
  readonly string $method
  readonly string $path
  readonly string $query
  readonly array $headers
  readonly string $remoteAddress
  mixed $data = null
  queryParams(): array
  cookies(): array
  header(string $name): ?string
final class Salon\Response
  status(int $status): static
  header(string $name, string $value): static
  body(string $body): static
