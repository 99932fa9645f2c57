"""Synthetic body-camera clips for the demo case, made by code (nothing downloaded).

A clip pans over a drawn street, with what a reviewer has to redact in real footage: a
person's face (the real face of the public "foreman" test clip when it is on disk, else a
drawn one), a licence plate, a burned-in body-cam timestamp, and speech naming a person
(espeak-ng when it is installed, else tones). Small: x264 at a high CRF, AAC mono.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

from reviewer.paths import sample_face_clip

FONT = cv2.FONT_HERSHEY_SIMPLEX
FONT_BOLD = cv2.FONT_HERSHEY_DUPLEX
AUDIO_RATE = 22050  # espeak-ng's own rate; resampling speech buys nothing here
SAMPLE_FACE = sample_face_clip()
# The face in the foreman clip (352x288): the hard hat and face, then a margin the mask fades.
FACE_CROP = (70, 0, 290, 288)  # x0, y0, x1, y1


@dataclass(frozen=True)
class BodycamScene:
    name: str
    seconds: float
    width_px: int
    height_px: int
    fps: int
    speech: str
    plate: str
    serial: str
    start: datetime
    seed: int


@dataclass(frozen=True)
class SynthClip:
    path: Path
    frame_count: int
    real_face: bool  # False: the foreman sample was missing and a drawn face stands in
    real_speech: bool  # False: espeak-ng was missing and tones stand in


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


# -- the street ---------------------------------------------------------------------------
def _panorama(scene: BodycamScene) -> tuple[np.ndarray, tuple[int, int], tuple[int, int, int, int]]:
    """A street twice as wide as the frame. Returns the image (RGB), where the person's face
    goes (centre, in panorama pixels), and the plate's rectangle."""
    rng = _rng(scene.seed)
    w, h = scene.width_px * 2, scene.height_px + 60
    img = np.zeros((h, w, 3), np.uint8)
    horizon = int(h * 0.55)
    sky = np.linspace(200, 150, horizon)[:, None]
    img[:horizon] = np.stack([sky * 0.75, sky * 0.85, sky], -1).astype(np.uint8)
    x = 0
    while x < w:  # buildings with rows of windows
        bw = int(rng.integers(90, 200))
        top = int(rng.integers(int(h * 0.08), int(h * 0.35)))
        colour = tuple(int(c) for c in rng.integers(70, 170, 3))
        cv2.rectangle(img, (x, top), (x + bw, horizon), colour, -1)
        for wy in range(top + 12, horizon - 20, 28):
            for wx in range(x + 10, x + bw - 20, 26):
                lit = (230, 220, 150) if rng.random() < 0.3 else (50, 60, 70)
                cv2.rectangle(img, (wx, wy), (wx + 12, wy + 16), lit, -1)
        x += bw + int(rng.integers(0, 12))
    cv2.rectangle(img, (0, horizon), (w, horizon + 30), (150, 150, 145), -1)  # sidewalk
    cv2.rectangle(img, (0, horizon + 30), (w, h), (62, 62, 66), -1)  # road
    for lx in range(0, w, 120):
        cv2.rectangle(img, (lx, horizon + 80), (lx + 60, horizon + 86), (220, 210, 90), -1)
    # A parked car with its plate, about two thirds along the pan.
    cx, cy = int(w * 0.62), horizon + 40
    cv2.rectangle(img, (cx, cy), (cx + 260, cy + 70), (150, 30, 35), -1)
    cv2.rectangle(img, (cx + 40, cy - 45), (cx + 200, cy + 5), (130, 25, 30), -1)
    cv2.rectangle(img, (cx + 55, cy - 38), (cx + 185, cy), (170, 200, 215), -1)
    for wx in (cx + 50, cx + 210):
        cv2.circle(img, (wx, cy + 72), 22, (20, 20, 20), -1)
    px0, py0 = cx + 85, cy + 20
    plate = (px0, py0, px0 + 96, py0 + 36)
    cv2.rectangle(img, plate[:2], plate[2:], (245, 245, 240), -1)
    cv2.rectangle(img, plate[:2], plate[2:], (30, 30, 120), 2)
    cv2.putText(img, "CALIFORNIA", (px0 + 16, py0 + 10), FONT, 0.28, (150, 30, 30), 1, cv2.LINE_AA)
    cv2.putText(img, scene.plate, (px0 + 6, py0 + 29), FONT_BOLD, 0.55, (20, 20, 90), 2, cv2.LINE_AA)
    # A person on the sidewalk, left third: the torso is drawn here, the face per frame.
    fx, fy = int(w * 0.3), horizon - 95
    cv2.ellipse(img, (fx, horizon + 40), (50, 110), 0, 180, 360, (40, 50, 90), -1)
    # Soften everything a little: flat synthetic edges would look nothing like a lens.
    img = cv2.GaussianBlur(img, (3, 3), 0)
    return img, (fx, fy), plate


# -- the face -----------------------------------------------------------------------------
def _face_frames(source: Path | None, size_px: int) -> tuple[list[np.ndarray], bool]:
    """Face patches (RGB, square ``size_px``) and whether they are real."""
    if source is not None and source.is_file():
        x0, y0, x1, y1 = FACE_CROP
        out = []
        with av.open(str(source)) as c:
            for f in c.decode(video=0):
                rgb = f.to_ndarray(format="rgb24")[y0:y1, x0:x1]
                out.append(cv2.resize(rgb, (size_px, int(size_px * (y1 - y0) / (x1 - x0))),
                                      interpolation=cv2.INTER_AREA))
        if out:
            return out + out[::-1], True  # ping-pong so the loop has no jump
    patch = np.full((int(size_px * 1.3), size_px, 3), (60, 60, 60), np.uint8)
    c = (size_px // 2, int(size_px * 0.65))
    cv2.ellipse(patch, c, (size_px // 3, int(size_px * 0.42)), 0, 0, 360, (205, 160, 130), -1)
    for ex in (c[0] - size_px // 8, c[0] + size_px // 8):
        cv2.circle(patch, (ex, c[1] - size_px // 10), max(2, size_px // 24), (40, 30, 30), -1)
    cv2.ellipse(patch, (c[0], c[1] + size_px // 6), (size_px // 8, size_px // 20), 0, 0, 180,
                (120, 40, 40), 2)
    return [patch], False


def _face_mask(shape: tuple[int, int]) -> np.ndarray:
    h, w = shape
    m = np.zeros((h, w), np.float32)
    cv2.ellipse(m, (w // 2, h // 2), (int(w * 0.42), int(h * 0.47)), 0, 0, 360, 1.0, -1)
    return cv2.GaussianBlur(m, (0, 0), max(1.0, w / 20))[..., None]


def _paste(frame: np.ndarray, patch: np.ndarray, mask: np.ndarray, cx: int, cy: int) -> None:
    ph, pw = patch.shape[:2]
    x0, y0 = cx - pw // 2, cy - ph // 2
    fx0, fy0 = max(0, x0), max(0, y0)
    fx1, fy1 = min(frame.shape[1], x0 + pw), min(frame.shape[0], y0 + ph)
    if fx1 <= fx0 or fy1 <= fy0:
        return
    sub_p = patch[fy0 - y0:fy1 - y0, fx0 - x0:fx1 - x0].astype(np.float32)
    sub_m = mask[fy0 - y0:fy1 - y0, fx0 - x0:fx1 - x0]
    region = frame[fy0:fy1, fx0:fx1].astype(np.float32)
    frame[fy0:fy1, fx0:fx1] = (sub_p * sub_m + region * (1 - sub_m)).astype(np.uint8)


# -- the overlay --------------------------------------------------------------------------
def _burn_in(frame: np.ndarray, scene: BodycamScene, t_s: float) -> None:
    """The body-cam's own stamp: model and serial, then the running clock (whole seconds)."""
    stamp = (scene.start + timedelta(seconds=int(t_s))).strftime("%Y-%m-%d %H:%M:%S")
    lines = [f"AXON BODY 3 {scene.serial}", f"{stamp} -0700"]
    scale = scene.width_px / 1100
    y = int(22 * scale * 1.6)
    for text in lines:
        (tw, th), _ = cv2.getTextSize(text, FONT_BOLD, scale, 1)
        x = frame.shape[1] - tw - 10
        cv2.rectangle(frame, (x - 4, y - th - 4), (x + tw + 4, y + 5), (0, 0, 0), -1)
        cv2.putText(frame, text, (x, y), FONT_BOLD, scale, (255, 255, 255), 1, cv2.LINE_AA)
        y += th + 10


# -- the sound ----------------------------------------------------------------------------
def speak(text: str, rate: int = AUDIO_RATE) -> np.ndarray | None:
    """``text`` spoken by espeak-ng as float32 mono at ``rate``, or None when it is missing."""
    exe = shutil.which("espeak-ng") or shutil.which("espeak")
    if exe is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        try:
            subprocess.run([exe, "-v", "en-us", "-s", "145", "-w", str(wav), text], check=True,
                           capture_output=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return None
        with wave.open(str(wav)) as w:
            src_rate, n = w.getframerate(), w.getnframes()
            data = np.frombuffer(w.readframes(n), np.int16).astype(np.float32) / 32768.0
            if w.getnchannels() > 1:
                data = data.reshape(-1, w.getnchannels()).mean(axis=1)
    if src_rate != rate:
        data = np.interp(np.arange(int(len(data) * rate / src_rate)) * src_rate / rate,
                         np.arange(len(data)), data).astype(np.float32)
    return data


def _soundtrack(scene: BodycamScene) -> tuple[np.ndarray, bool]:
    n = int(scene.seconds * AUDIO_RATE)
    rng = _rng(scene.seed + 1)
    # Street hum: low-passed noise, quiet enough that the speech is clearly the subject.
    hum = np.convolve(rng.standard_normal(n).astype(np.float32), np.ones(40) / 40, "same") * 0.08
    track = hum.astype(np.float32)
    speech = speak(scene.speech)
    real = speech is not None
    if speech is None:  # two-tone stand-in where the voice would be
        t = np.arange(int(2.5 * AUDIO_RATE)) / AUDIO_RATE
        speech = (0.3 * np.sin(2 * np.pi * np.where(t % 0.5 < 0.25, 440, 660) * t)).astype(np.float32)
    start = int(1.5 * AUDIO_RATE)
    speech = speech[: max(0, n - start)]
    track[start:start + len(speech)] += speech * 0.9
    return np.clip(track, -1, 1), real


# -- the clip -----------------------------------------------------------------------------
def make_bodycam_clip(path: str | Path, scene: BodycamScene, face_source: Path | None = SAMPLE_FACE) -> SynthClip:
    """Write ``scene`` as an MP4 (H.264 + AAC) at ``path``."""
    path = Path(path)
    w, h, fps = scene.width_px, scene.height_px, scene.fps
    pano, face_at, _plate = _panorama(scene)
    faces, real_face = _face_frames(face_source, size_px=max(48, h // 4))
    mask = _face_mask(faces[0].shape[:2])
    audio, real_speech = _soundtrack(scene)
    n_frames = round(scene.seconds * fps)
    pan_px = pano.shape[1] - w

    with av.open(str(path), "w", format="mp4") as out:
        vs = out.add_stream("libx264", rate=fps)
        vs.width, vs.height, vs.pix_fmt = w, h, "yuv420p"
        vs.codec_context.time_base = Fraction(1, fps)
        vs.options = {"crf": "30", "preset": "veryfast", "g": str(fps * 2)}
        aus = out.add_stream("aac", rate=AUDIO_RATE, layout="mono")
        aus.bit_rate = 48000
        a_pos = 0
        for i in range(n_frames):
            t = i / fps
            # Ease in and out of the pan, with the bob of a walking officer on top.
            u = 0.5 - 0.5 * np.cos(np.pi * min(1.0, t / scene.seconds))
            x = int(u * pan_px + 4 * np.sin(2 * np.pi * 1.7 * t))
            y = int(30 + 12 * np.sin(2 * np.pi * 1.7 * t + 0.6))
            x = min(max(0, x), pan_px)
            frame = np.ascontiguousarray(pano[y:y + h, x:x + w])
            sway = int(6 * np.sin(2 * np.pi * 0.4 * t))
            _paste(frame, faces[i % len(faces)], mask, face_at[0] - x + sway, face_at[1] - y)
            _burn_in(frame, scene, t)
            vf = av.VideoFrame.from_ndarray(frame, format="rgb24")
            vf.pts = i
            vf.time_base = Fraction(1, fps)
            for pkt in vs.encode(vf):
                out.mux(pkt)
            # Keep the audio level with the video so the muxer interleaves as it goes.
            a_end = min(len(audio), int((i + 1) / fps * AUDIO_RATE))
            while a_pos + 1024 <= a_end or (i == n_frames - 1 and a_pos < len(audio)):
                chunk = audio[a_pos:a_pos + 1024]
                af = av.AudioFrame.from_ndarray(chunk[None, :], format="fltp", layout="mono")
                af.sample_rate = AUDIO_RATE
                af.pts = a_pos
                af.time_base = Fraction(1, AUDIO_RATE)
                for pkt in aus.encode(af):
                    out.mux(pkt)
                a_pos += len(chunk)
        for pkt in vs.encode(None):
            out.mux(pkt)
        for pkt in aus.encode(None):
            out.mux(pkt)
    return SynthClip(path, n_frames, real_face, real_speech)


def demo_scenes() -> tuple[BodycamScene, ...]:
    start = datetime(2023, 6, 14, 6, 12, 33)
    return (
        BodycamScene("bodycam_01_street.mp4", 10.0, 640, 360, 30,
                     "My name is Maria Lopez. I live at forty two Oak Street. Please do not take my husband.",
                     "ABC 1234", "X81204417", start, 11),
        BodycamScene("bodycam_02_vehicle.mp4", 9.0, 640, 360, 30,
                     "Dispatch, this is unit four. Running plate A B C one two three four, "
                     "registered owner Jose Hernandez.", "ABC 1234", "X81204417",
                     start + timedelta(minutes=4, seconds=10), 23),
        BodycamScene("bodycam_03_doorway.mp4", 8.0, 854, 480, 30,
                     "Ma'am, what is your date of birth? April twelfth, nineteen eighty eight.",
                     "7XYZ 552", "X81309921", start + timedelta(minutes=9, seconds=2), 37),
    )
