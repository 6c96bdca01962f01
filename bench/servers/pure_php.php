<?php
/*
 * A pure-PHP WebSocket server in the style of the classic tutorial: one
 * process, socket_select() over an array of sockets, the handshake done by
 * hand, frames decoded and encoded in PHP, a broadcast written to every
 * socket in turn. It is what PHP users have without an extension, and the
 * floor bench/run measures Salon against.
 *
 *   php -n -d extension=sockets bench/servers/pure_php.php PORT [-b] [--tutorial]
 *
 * Echo server (text back as text, binary as binary), or with -b a broadcast
 * relay (every message to every open connection, the sender included).
 * PORT 0 picks a free one; it prints "listening on ws://127.0.0.1:PORT".
 *
 * The tutorial's framing bugs are fixed so that it can be measured at all:
 * the request is buffered until its blank line; each connection keeps an
 * input buffer, so a frame split over reads or several frames in one read
 * are both handled; 16- and 64-bit extended lengths are read and written;
 * client frames must be masked; fragmented messages are reassembled; pings
 * get pongs and a close gets a close back. Sockets are non-blocking and a
 * partial write keeps the rest in an output buffer flushed when select()
 * says the socket is writable. Unmasking XORs whole strings, not byte by
 * byte as the tutorial did: the fastest plain PHP there is, to be fair.
 * With --tutorial it unmasks as the tutorial does, one byte at a time in a
 * PHP loop (its unmask() function): not a framing bug, its speed, and what
 * servers written from it still do; bench/run measures both.
 * What stays as in the tutorial: one select() over every socket per pass,
 * and one write per message per recipient.
 *
 * select() handles descriptors below FD_SETSIZE (1024) only, so the server
 * refuses connections beyond MAX_CLIENTS with a 503.
 */
declare(strict_types=1);

const MAX_CLIENTS = 1010;          // listener + stdio + clients < FD_SETSIZE
const MAX_MESSAGE = 16 * 1024 * 1024;
const READ_CHUNK = 65536;
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

$port = (int)($argv[1] ?? 9001);
$broadcast = in_array('-b', $argv, true);
$tutorial = in_array('--tutorial', $argv, true);

$listener = socket_create(AF_INET, SOCK_STREAM, SOL_TCP);
socket_set_option($listener, SOL_SOCKET, SO_REUSEADDR, 1);
if (!@socket_bind($listener, '127.0.0.1', $port) || !socket_listen($listener, 511)) {
    fwrite(STDERR, 'cannot listen: ' . socket_strerror(socket_last_error($listener)) . "\n");
    exit(1);
}
socket_set_nonblock($listener);
socket_getsockname($listener, $addr, $port);
fwrite(STDOUT, "listening on ws://127.0.0.1:$port\n");
fflush(STDOUT);

/* Per connection, keyed by spl_object_id() of its Socket. */
$clients = [];   // id => Socket
$open = [];      // id => true once the handshake is done
$inbuf = [];     // id => bytes read and not yet parsed
$outbuf = [];    // id => bytes not yet written
$partial = [];   // id => [opcode, payload so far] of a fragmented message

while (true) {
    $read = $clients;
    $read[] = $listener;
    $write = [];
    foreach ($outbuf as $id => $pending) {
        if ($pending !== '') {
            $write[] = $clients[$id];
        }
    }
    $except = null;
    if (socket_select($read, $write, $except, null) === false) {
        continue;   // EINTR
    }
    foreach ($write as $sock) {
        flush_out(spl_object_id($sock));
    }
    foreach ($read as $sock) {
        if ($sock === $listener) {
            accept_all($listener);
            continue;
        }
        $id = spl_object_id($sock);
        if (!isset($clients[$id])) {
            continue;   // dropped earlier in this pass
        }
        $n = @socket_recv($sock, $buf, READ_CHUNK, 0);
        if ($n === false) {
            if (socket_last_error($sock) === SOCKET_EAGAIN) {
                continue;
            }
            drop($id);
            continue;
        }
        if ($n === 0) {
            drop($id);
            continue;
        }
        $inbuf[$id] .= $buf;
        if (!isset($open[$id])) {
            perform_handshaking($id);
        }
        if (isset($open[$id])) {
            process_frames($id);
        }
    }
}

function accept_all(Socket $listener): void
{
    global $clients, $inbuf, $outbuf;
    while (($sock = @socket_accept($listener)) !== false) {
        if (count($clients) >= MAX_CLIENTS) {
            @socket_write($sock, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            socket_close($sock);
            continue;
        }
        socket_set_nonblock($sock);
        socket_set_option($sock, SOL_TCP, TCP_NODELAY, 1);
        $id = spl_object_id($sock);
        $clients[$id] = $sock;
        $inbuf[$id] = '';
        $outbuf[$id] = '';
    }
}

function drop(int $id): void
{
    global $clients, $open, $inbuf, $outbuf, $partial;
    if (!isset($clients[$id])) {
        return;
    }
    socket_close($clients[$id]);
    unset($clients[$id], $open[$id], $inbuf[$id], $outbuf[$id], $partial[$id]);
}

/* The request is complete at its blank line; anything after it is frames. */
function perform_handshaking(int $id): void
{
    global $clients, $inbuf, $open;
    $end = strpos($inbuf[$id], "\r\n\r\n");
    if ($end === false) {
        if (strlen($inbuf[$id]) > 8192) {
            drop($id);
        }
        return;
    }
    $header = substr($inbuf[$id], 0, $end);
    $inbuf[$id] = (string)substr($inbuf[$id], $end + 4);
    if (!preg_match('/^Sec-WebSocket-Key:[ \t]*([A-Za-z0-9+\/=]{24})[ \t\r]*$/mi', $header, $m)
        || !preg_match('/^GET /', $header)) {
        send_raw($id, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        drop($id);
        return;
    }
    $accept = base64_encode(sha1($m[1] . GUID, true));
    send_raw($id, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        . "Sec-WebSocket-Accept: $accept\r\n\r\n");
    if (isset($clients[$id])) {
        $open[$id] = true;
    }
}

/* Every complete frame in the input buffer; a partial one waits for more. */
function process_frames(int $id): void
{
    global $inbuf;
    $buf = $inbuf[$id];
    $pos = 0;
    $len = strlen($buf);
    while ($len - $pos >= 2) {
        $b0 = ord($buf[$pos]);
        $b1 = ord($buf[$pos + 1]);
        $plen = $b1 & 0x7f;
        $hdr = 2;
        if ($plen === 126) {
            if ($len - $pos < 4) {
                break;
            }
            $plen = unpack('n', $buf, $pos + 2)[1];
            $hdr = 4;
        } elseif ($plen === 127) {
            if ($len - $pos < 10) {
                break;
            }
            $plen = unpack('J', $buf, $pos + 2)[1];
            $hdr = 10;
        }
        if (($b1 & 0x80) === 0 || ($b0 & 0x70) !== 0 || $plen < 0 || $plen > MAX_MESSAGE) {
            close_with($id, 1002);
            return;
        }
        if ($len - $pos < $hdr + 4 + $plen) {
            break;
        }
        $mask = substr($buf, $pos + $hdr, 4);
        $payload = substr($buf, $pos + $hdr + 4, $plen);
        if ($plen > 0) {
            $payload = $GLOBALS['tutorial'] ? unmask_bytewise($payload, $mask)
                : $payload ^ str_repeat($mask, ($plen >> 2) + 1);
        }
        $pos += $hdr + 4 + $plen;
        if (!on_frame($id, ($b0 & 0x80) !== 0, $b0 & 0x0f, $payload)) {
            return;   // closed
        }
    }
    $inbuf[$id] = $pos === 0 ? $buf : (string)substr($buf, $pos);
}

/* The tutorial's unmasking: one byte at a time, in PHP. */
function unmask_bytewise(string $payload, string $mask): string
{
    $text = '';
    for ($i = 0, $n = strlen($payload); $i < $n; ++$i) {
        $text .= $payload[$i] ^ $mask[$i % 4];
    }
    return $text;
}

/* One frame; false once the connection is gone. */
function on_frame(int $id, bool $fin, int $opcode, string $payload): bool
{
    global $clients, $partial;
    if ($opcode >= 0x8) {   // control frames: never fragmented, at most 125 bytes
        if (!$fin || strlen($payload) > 125) {
            close_with($id, 1002);
            return false;
        }
        if ($opcode === 0x9) {
            send_raw($id, encode_frame(0xA, $payload));
            return isset($clients[$id]);
        }
        if ($opcode === 0x8) {
            close_with($id, 1000);
            return false;
        }
        return $opcode === 0xA ? true : close_with($id, 1002);
    }
    if ($opcode === 0x0) {   // continuation
        if (!isset($partial[$id])) {
            return close_with($id, 1002);
        }
        $partial[$id][1] .= $payload;
        if (strlen($partial[$id][1]) > MAX_MESSAGE) {
            return close_with($id, 1009);
        }
        if (!$fin) {
            return true;
        }
        [$opcode, $payload] = $partial[$id];
        unset($partial[$id]);
    } elseif ($opcode === 0x1 || $opcode === 0x2) {
        if (isset($partial[$id])) {
            return close_with($id, 1002);
        }
        if (!$fin) {
            $partial[$id] = [$opcode, $payload];
            return true;
        }
    } else {
        return close_with($id, 1002);
    }
    on_message($id, $opcode, $payload);
    return isset($clients[$id]);   // a failed write drops it
}

function on_message(int $id, int $opcode, string $payload): void
{
    global $broadcast;
    $frame = encode_frame($opcode, $payload);
    if ($broadcast) {
        send_message($frame);
    } else {
        send_raw($id, $frame);
    }
}

/* The tutorial's broadcast: one write per open connection. */
function send_message(string $frame): void
{
    global $open;
    foreach ($open as $id => $_) {
        send_raw($id, $frame);
    }
}

function encode_frame(int $opcode, string $payload): string
{
    $len = strlen($payload);
    if ($len <= 125) {
        return pack('CC', 0x80 | $opcode, $len) . $payload;
    }
    if ($len <= 0xffff) {
        return pack('CCn', 0x80 | $opcode, 126, $len) . $payload;
    }
    return pack('CCJ', 0x80 | $opcode, 127, $len) . $payload;
}

/* Writes now, or queues behind what is already waiting. */
function send_raw(int $id, string $data): void
{
    global $outbuf;
    if (!isset($outbuf[$id])) {
        return;
    }
    $outbuf[$id] .= $data;
    if (strlen($outbuf[$id]) === strlen($data)) {
        flush_out($id);
    }
}

function flush_out(int $id): void
{
    global $clients, $outbuf;
    if (!isset($outbuf[$id]) || $outbuf[$id] === '') {
        return;
    }
    $n = @socket_write($clients[$id], $outbuf[$id]);
    if ($n === false) {
        if (socket_last_error($clients[$id]) !== SOCKET_EAGAIN) {
            drop($id);
        }
        return;
    }
    $outbuf[$id] = (string)substr($outbuf[$id], $n);
}

/* Sends a close frame with this code, then drops the connection. */
function close_with(int $id, int $code): bool
{
    send_raw($id, encode_frame(0x8, pack('n', $code)));
    drop($id);
    return false;
}
