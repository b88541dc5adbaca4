// Maki icons (CC0, bundled: no sprite server needed, so the map works offline).
import bench from '@mapbox/maki/icons/picnic-site.svg?raw'
import cafe from '@mapbox/maki/icons/cafe.svg?raw'
import garden from '@mapbox/maki/icons/garden.svg?raw'
import heart from '@mapbox/maki/icons/heart.svg?raw'
import home from '@mapbox/maki/icons/home.svg?raw'
import library from '@mapbox/maki/icons/library.svg?raw'
import park from '@mapbox/maki/icons/park.svg?raw'
import pitch from '@mapbox/maki/icons/pitch.svg?raw'
import playground from '@mapbox/maki/icons/playground.svg?raw'
import worship from '@mapbox/maki/icons/place-of-worship.svg?raw'
import school from '@mapbox/maki/icons/school.svg?raw'
import townHall from '@mapbox/maki/icons/town-hall.svg?raw'

/** One Maki icon per kind; a bench and a picnic table share the picnic-site icon. */
export const KIND_ICONS: Record<string, string> = {
  community_centre: townHall,
  living_room: home,
  library,
  cafe,
  place_of_worship: worship,
  sports: pitch,
  playground,
  park_square: park,
  shared_garden: garden,
  school,
  bench,
  picnic_table: bench,
  initiative: heart,
}

/**
 * Draws an SVG icon in one colour at `pixelRatio`, as the image data MapLibre's `addImage`
 * takes. Maki icons are 15×15 single-path glyphs.
 */
export async function rasterise(
  svg: string,
  color: string,
  pixelRatio: number,
): Promise<{ width: number; height: number; data: Uint8ClampedArray }> {
  const coloured = svg.replace('<svg', `<svg fill="${color}"`)
  const size = 15 * pixelRatio
  const image = new Image(size, size)
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(coloured)}`
  await image.decode()
  const canvas = document.createElement('canvas')
  canvas.width = size
  canvas.height = size
  const context = canvas.getContext('2d') as CanvasRenderingContext2D
  context.drawImage(image, 0, 0, size, size)
  const { data } = context.getImageData(0, 0, size, size)
  return { width: size, height: size, data }
}
