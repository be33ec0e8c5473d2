"""A small synthetic room rendered with numpy: its photo and its true metric depth.

The sample project's depth pair is made from it: the photo, and the true depth
encoded with the Vision Banana codec, the way a generator would paint it. The
camera is the one the Depth view assumes when a photo has no EXIF (a 60 degree
horizontal field of view, pixel centres at u + 0.5, OpenCV axes: x right, y
down, z forward), so unprojecting the decoded map gives back the room's shape.
Depth is the camera's z-depth in metres. The render also gives the true surface
normals (in the camera frame of :mod:`core.depth.normals`: +x right, +y up, +z
toward the camera) and a label map of its four surfaces (:data:`CLASSES`), so the
sample can be evaluated as depth, as normals and as segmentation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HFOV_DEG = 60.0
CAMERA_HEIGHT = 1.5  # metres above the floor (the floor is the plane y = CAMERA_HEIGHT)
TILT_DEG = 12.0  # the camera looks down this much
WALL_Z = 8.0  # the back wall, metres in front of the camera (world frame)
SPHERE = ((0.95, CAMERA_HEIGHT - 0.55, 3.6), 0.55)  # centre, radius: it rests on the floor
BOX = ((-0.9, CAMERA_HEIGHT - 0.4, 4.2), (0.5, 0.4, 0.45), 28.0)  # centre, half sizes, yaw deg
LIGHT = np.array([-0.45, -0.8, -0.4])  # towards the light, world frame (y down: from above)
# label -> (class name, colour a segmentation prompt would ask for); the label is the
# index of the surface in render_scene's hit order
CLASSES = (
    ("floor", (255, 255, 0)),
    ("wall", (0, 255, 255)),
    ("sphere", (255, 0, 255)),
    ("box", (255, 128, 0)),
)
OPENCV_TO_NORMALS = np.array([1.0, -1.0, -1.0])  # y down / z forward -> y up / z toward


@dataclass(frozen=True)
class SceneRender:
    """The photo (H, W, 3) float32 in [0, 1], the z-depth (H, W) float32 metres, the camera.

    ``normals`` (H, W, 3) float32 unit vectors in the normal maps' camera frame and
    ``labels`` (H, W) uint8 indices into :data:`CLASSES` are the truth of the same render.
    """

    photo: np.ndarray
    depth: np.ndarray
    hfov_deg: float
    normals: np.ndarray
    labels: np.ndarray


def _tilt() -> np.ndarray:
    """Camera -> world rotation about x: the optical axis points down by TILT_DEG."""
    tilt = np.radians(TILT_DEG)
    return np.array([[1, 0, 0], [0, np.cos(tilt), np.sin(tilt)], [0, -np.sin(tilt), np.cos(tilt)]])


def _rays(width: int, height: int) -> np.ndarray:
    """World-frame ray directions whose camera-frame z is 1, so a hit's t is its z-depth."""
    f = (width / 2.0) / np.tan(np.radians(HFOV_DEG) / 2.0)
    u, v = np.meshgrid(np.arange(width) + 0.5, np.arange(height) + 0.5)
    cam = np.stack([(u - width / 2.0) / f, (v - height / 2.0) / f, np.ones_like(u)], axis=-1)
    return cam @ _tilt().T


def _plane(d: np.ndarray, axis: int, offset: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        t = offset / d[..., axis]
    return np.where(t > 0, t, np.inf)


def _sphere(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    centre, radius = np.array(SPHERE[0]), SPHERE[1]
    a = np.sum(d * d, axis=-1)
    b = -2.0 * d @ centre
    c = centre @ centre - radius**2
    disc = b * b - 4 * a * c
    with np.errstate(invalid="ignore"):
        t = (-b - np.sqrt(disc)) / (2 * a)
    t = np.where((disc > 0) & (t > 0), t, np.inf)
    normal = d * np.where(np.isfinite(t), t, 0)[..., None] - centre
    return t, normal / radius


def _box(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Slab intersection with the box, in the box's own (yawed) frame."""
    centre, half, yaw = np.array(BOX[0]), np.array(BOX[1]), np.radians(BOX[2])
    rot = np.array([[np.cos(yaw), 0, -np.sin(yaw)], [0, 1, 0], [np.sin(yaw), 0, np.cos(yaw)]])
    origin = rot @ (-centre)
    local = d @ rot.T
    with np.errstate(divide="ignore", invalid="ignore"):
        t1 = (-half - origin) / local
        t2 = (half - origin) / local
    near = np.nanmax(np.minimum(t1, t2), axis=-1)
    far = np.nanmin(np.maximum(t1, t2), axis=-1)
    hit = (near <= far) & (near > 0)
    t = np.where(hit, near, np.inf)
    face = np.argmax(np.minimum(t1, t2), axis=-1)  # the slab entered last is the face hit
    normal_local = np.zeros_like(d)
    sign = -np.sign(np.take_along_axis(local, face[..., None], axis=-1))[..., 0]
    np.put_along_axis(normal_local, face[..., None], sign[..., None], axis=-1)
    return t, normal_local @ rot  # back to world axes


def render_scene(width: int = 320, height: int = 240, seed: int = 7) -> SceneRender:
    """Ray-cast the room (floor, back wall, a box, a sphere) and shade it (Lambert + grain)."""
    d = _rays(width, height)
    floor_t = _plane(d, 1, CAMERA_HEIGHT)
    wall_t = _plane(d, 2, WALL_Z)
    sphere_t, sphere_n = _sphere(d)
    box_t, box_n = _box(d)
    ts = np.stack([floor_t, wall_t, sphere_t, box_t])
    which = np.argmin(ts, axis=0)
    t = np.min(ts, axis=0)
    point = d * t[..., None]

    normals = np.zeros_like(d)
    normals[which == 0] = (0, -1, 0)
    normals[which == 1] = (0, 0, -1)
    normals[which == 2] = sphere_n[which == 2]
    normals[which == 3] = box_n[which == 3]
    light = LIGHT / np.linalg.norm(LIGHT)
    shade = 0.35 + 0.65 * np.clip(normals @ light, 0, 1)

    albedo = np.empty_like(d)
    tiles = (np.floor(point[..., 0] / 0.5) + np.floor(point[..., 2] / 0.5)) % 2
    floor = np.where(tiles[..., None] > 0, (0.62, 0.47, 0.32), (0.52, 0.38, 0.25))
    albedo[which == 0] = floor[which == 0]
    stripe = (np.floor(point[..., 1] / 0.3) % 2)[..., None]
    wall = np.where(stripe > 0, (0.80, 0.80, 0.74), (0.74, 0.76, 0.72))
    albedo[which == 1] = wall[which == 1]
    albedo[which == 2] = (0.20, 0.42, 0.80)
    albedo[which == 3] = (0.85, 0.36, 0.20)
    grain = np.random.default_rng(seed).normal(0, 0.012, size=d.shape)
    photo = np.clip(albedo * shade[..., None] + grain, 0, 1).astype(np.float32)
    depth = t.astype(np.float32)  # the rays' camera z is 1: t is the z-depth
    camera_normals = (normals @ _tilt()) * OPENCV_TO_NORMALS  # world -> camera (row vectors)
    camera_normals /= np.linalg.norm(camera_normals, axis=-1, keepdims=True)
    return SceneRender(
        photo, depth, HFOV_DEG, camera_normals.astype(np.float32), which.astype(np.uint8)
    )


def label_colours(labels: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8: each label painted in its class colour (what a segmentation prompt asks)."""
    table = np.array([colour for _name, colour in CLASSES], dtype=np.uint8)
    return table[labels]
