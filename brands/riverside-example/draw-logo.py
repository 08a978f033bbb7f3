# Draws the fictional Riverside Example logo: a circle with three river waves, and a
# bold "R" built from rectangles and a ring. 1200 x 480 px: 762 dpi at 40 x 16 mm.
import zlib, struct, math
W, H = 1200, 480
teal = (10, 88, 102); light = (120, 190, 200); white = (255, 255, 255); navy = (20, 45, 80)
def px(x, y):
    cx, cy, r = 240, 240, 220
    d = math.hypot(x - cx, y - cy)
    if d <= r:
        if d > r - 14: return navy
        for k, base in enumerate((170, 250, 330)):
            wave = base + 22 * math.sin((x - cx) / 45.0 + k)
            if abs(y - wave) < 16: return white
        return teal if y < 280 else light
    # "R": stem, bowl (half ring) and leg, in navy
    if 540 <= x <= 600 and 60 <= y <= 420: return navy
    bx, by = 640, 160
    if x >= 600 and abs(math.hypot(x - bx, y - by) - 70) < 30 and x >= bx - 40: return navy
    if 600 <= x <= 640 and (70 <= y <= 130 or 190 <= y <= 250): return navy
    if abs((x - 620) - (y - 230) * 0.9) < 32 and 230 <= y <= 420: return navy
    # a river line under the letter, to the right
    if 780 <= x <= 1160 and abs(y - (330 + 25 * math.sin(x / 40.0))) < 14: return teal
    if 780 <= x <= 1160 and abs(y - (230 + 25 * math.sin(x / 40.0 + 1))) < 14: return light
    return white
rows = bytearray()
for y in range(H):
    rows.append(0)
    for x in range(W):
        rows.extend(px(x, y))
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', W, H, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(bytes(rows), 9)) + chunk(b'IEND', b'')
open('logo.png', 'wb').write(png)
