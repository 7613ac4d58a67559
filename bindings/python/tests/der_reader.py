"""A minimal DER reader for the tests: enough to split a SEQUENCE into its elements.

The C ABI exposes a signature only as DER and a report, so the tests read TBS_Sign here.
"""

from __future__ import annotations


def read_element(data: bytes, offset: int) -> tuple[int, int, int]:
    """Read the DER element at `offset` and return (tag, content start, element end).

    Supports one-byte tags and definite lengths, which is all that SES_Signature uses.
    """
    tag = data[offset]
    if tag & 0x1F == 0x1F:
        raise ValueError(f"multi-byte tag at offset {offset} is not supported")
    first = data[offset + 1]
    start = offset + 2
    if first < 0x80:
        length = first
    else:
        count = first & 0x7F
        if count == 0 or count > 4:
            raise ValueError(f"unsupported length form 0x{first:02x} at offset {offset}")
        length = int.from_bytes(data[start : start + count], "big")
        start += count
    end = start + length
    if end > len(data):
        raise ValueError(f"element at offset {offset} runs past the end of the data")
    return tag, start, end


def sequence_elements(data: bytes) -> list[bytes]:
    """Split a DER SEQUENCE into the complete encodings of its elements."""
    tag, start, end = read_element(data, 0)
    if tag != 0x30:
        raise ValueError(f"expected a SEQUENCE (0x30), found tag 0x{tag:02x}")
    elements = []
    offset = start
    while offset < end:
        _, _, element_end = read_element(data, offset)
        elements.append(data[offset:element_end])
        offset = element_end
    return elements
