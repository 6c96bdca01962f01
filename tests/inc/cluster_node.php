<?php
/*
 * A cluster node for the PHPT tests (tests/inc/cluster.inc starts it):
 *   php -n -d extension=salon.so cluster_node.php CLUSTER_URL [WORKERS [OPTIONS_JSON]]
 * A Salon server on a free port speaking the relay protocol, with the bus
 * (CLUSTER_URL "-" for none), WORKERS processes and more options. Prints
 * "port N", and "node stopped" when run() returned (in the master, with
 * workers).
 */
require __DIR__ . '/cluster.inc';

$url = $argv[1] ?? '-';
$workers = (int) ($argv[2] ?? 1);
$options = json_decode($argv[3] ?? '[]', true);
if ($url !== '-') {
	$options['cluster'] = $url;
}
if ($workers > 1) {
	$options['workers'] = $workers;
}
$server = new Salon\Server('127.0.0.1', 0, $options);
salon_cluster_relay($server);
echo 'port ', $server->port(), "\n";
$server->run();
echo "node stopped\n";
