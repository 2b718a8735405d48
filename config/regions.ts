/**
 * 山东省行政区划与人社部门（演示数据与下拉选项使用）。
 * Province → 16 cities → the districts / counties of 济南 and 青岛 (the other cities' counties
 * are not modelled yet). Codes are the GB/T 2260 codes given in ../../shared/domain.md.
 */

export interface County {
  /** 6-digit region code, e.g. '370102'. */
  code: string;
  /** Short name for display: '历下区', '平阴县', '胶州市'. */
  shortName: string;
  /** The HR bureau's name: '历下区人力资源和社会保障局'. */
  name: string;
  /** Pinyin of the short name without the suffix (for demo e-mail domains). */
  pinyin: string;
  /** district (区), county (县) or county-level city (县级市). */
  type: 'district' | 'county' | 'county_city';
}

export interface City {
  code: string;
  /** '济南市' */
  shortName: string;
  /** '济南市人力资源和社会保障局' */
  name: string;
  pinyin: string;
  /** Telephone area code, e.g. '0531'. */
  areaCode: string;
  counties: County[];
}

export interface Province {
  code: string;
  shortName: string;
  name: string;
  pinyin: string;
  cities: City[];
}

const BUREAU = '人力资源和社会保障局';

function county(code: string, shortName: string, pinyin: string): County {
  const type: County['type'] = shortName.endsWith('区') ? 'district' : shortName.endsWith('县') ? 'county' : 'county_city';
  return { code, shortName, name: `${shortName}${BUREAU}`, pinyin, type };
}

function city(code: string, shortName: string, pinyin: string, areaCode: string, counties: County[] = []): City {
  return { code, shortName, name: `${shortName}${BUREAU}`, pinyin, areaCode, counties };
}

export const shandong: Province = {
  code: '370000',
  shortName: '山东省',
  name: '山东省人力资源和社会保障厅',
  pinyin: 'shandong',
  cities: [
    city('370100', '济南市', 'jinan', '0531', [
      county('370102', '历下区', 'lixia'),
      county('370103', '市中区', 'shizhong'),
      county('370104', '槐荫区', 'huaiyin'),
      county('370105', '天桥区', 'tianqiao'),
      county('370112', '历城区', 'licheng'),
      county('370113', '长清区', 'changqing'),
      county('370114', '章丘区', 'zhangqiu'),
      county('370115', '济阳区', 'jiyang'),
      county('370116', '莱芜区', 'laiwu'),
      county('370117', '钢城区', 'gangcheng'),
      county('370124', '平阴县', 'pingyin'),
      county('370126', '商河县', 'shanghe'),
    ]),
    city('370200', '青岛市', 'qingdao', '0532', [
      county('370202', '市南区', 'shinan'),
      county('370203', '市北区', 'shibei'),
      county('370211', '黄岛区', 'huangdao'),
      county('370212', '崂山区', 'laoshan'),
      county('370213', '李沧区', 'licang'),
      county('370214', '城阳区', 'chengyang'),
      county('370215', '即墨区', 'jimo'),
      county('370281', '胶州市', 'jiaozhou'),
      county('370283', '平度市', 'pingdu'),
      county('370285', '莱西市', 'laixi'),
    ]),
    city('370300', '淄博市', 'zibo', '0533'),
    city('370400', '枣庄市', 'zaozhuang', '0632'),
    city('370500', '东营市', 'dongying', '0546'),
    city('370600', '烟台市', 'yantai', '0535'),
    city('370700', '潍坊市', 'weifang', '0536'),
    city('370800', '济宁市', 'jining', '0537'),
    city('370900', '泰安市', 'taian', '0538'),
    city('371000', '威海市', 'weihai', '0631'),
    city('371100', '日照市', 'rizhao', '0633'),
    city('371300', '临沂市', 'linyi', '0539'),
    city('371400', '德州市', 'dezhou', '0534'),
    city('371500', '聊城市', 'liaocheng', '0635'),
    city('371600', '滨州市', 'binzhou', '0543'),
    city('371700', '菏泽市', 'heze', '0530'),
  ],
};

/** The province's HR department (top of the organisation tree). */
export const province = { name: shandong.name, code: shandong.code, shortName: shandong.shortName };

export const cities: City[] = shandong.cities;

/** Every modelled county, with its city. */
export const counties: (County & { city: City })[] = cities.flatMap((c) => c.counties.map((k) => ({ ...k, city: c })));

export function cityByCode(code: string): City | undefined {
  return cities.find((c) => c.code === code);
}

export function countyByCode(code: string): (County & { city: City }) | undefined {
  return counties.find((c) => c.code === code);
}

/** Display name of a region code: '山东省', '济南市', '济南市历下区'. */
export function regionDisplayName(code: string): string | undefined {
  if (code === shandong.code) return shandong.shortName;
  const c = cityByCode(code);
  if (c) return c.shortName;
  const k = countyByCode(code);
  return k ? `${k.city.shortName}${k.shortName}` : undefined;
}
