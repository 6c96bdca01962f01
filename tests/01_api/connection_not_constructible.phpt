--TEST--
Salon\Connection and Salon\Request are made by the server only
--EXTENSIONS--
salon
--FILE--
<?php
foreach (['Salon\Connection', 'Salon\Request'] as $class) {
    try {
        new $class();
    } catch (Error $e) {
        echo $e::class, ': ', $e->getMessage(), "\n";
    }
    try {
        (new ReflectionClass($class))->newInstanceWithoutConstructor();
    } catch (ReflectionException $e) {
        echo $e::class, ': ', $e->getMessage(), "\n";
    }
}
try {
    serialize(new Salon\Server('127.0.0.1', 0));
} catch (Exception $e) {
    echo $e::class, ': ', $e->getMessage(), "\n";
}
?>
--EXPECT--
Error: Cannot directly construct Salon\Connection
ReflectionException: Class Salon\Connection is an internal class marked as final that cannot be instantiated without invoking its constructor
Error: Cannot directly construct Salon\Request
ReflectionException: Class Salon\Request is an internal class marked as final that cannot be instantiated without invoking its constructor
Exception: Serialization of 'Salon\Server' is not allowed
